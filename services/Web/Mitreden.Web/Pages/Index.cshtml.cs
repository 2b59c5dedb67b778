using Mitreden.Proposals.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages;

public sealed class IndexModel(ProposalsApi proposals) : WebPage
{
    public IReadOnlyList<ProcessSummary> Processes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var result = await proposals.ProcessesAsync(ct);
        Processes = result.Value ?? [];
    }
}
