using Mitreden.Moderation.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Moderation;

public sealed class MetricsModel(ModerationApi moderation) : WebPage
{
    public MetricsSummary? Summary { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await moderation.MetricsAsync(null, ct);
        Summary = result.Value;
        if (!result.Ok)
        {
            ModelState.AddModelError("", ProblemMessage(result.Problem!));
        }
    }
}
