using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Staff;

/// <summary>The checks of a phase form (new phase on the process page, editing one on the phase page).</summary>
internal static class PhaseFields
{
    /// <summary>Title, a known kind, and a start before the end; errors land at their fields. Returns the times read.</summary>
    public static (DateTimeOffset? Starts, DateTimeOffset? Ends) Check(ModelStateDictionary state, IStringLocalizer text,
        string? title, string? kind, string? startsAt, string? endsAt)
    {
        var starts = Display.FromInputDateTime(startsAt);
        var ends = Display.FromInputDateTime(endsAt);
        if (string.IsNullOrWhiteSpace(title))
        {
            state.AddModelError("PhaseTitle", text["Item_TitleRequired"]);
        }
        if (kind is null || !ProposalsApi.PhaseKinds.Contains(kind))
        {
            state.AddModelError("PhaseKind", text["Phase_KindRequired"]);
        }
        if (starts is null)
        {
            state.AddModelError("PhaseStartsAt", text["Phase_StartRequired"]);
        }
        if (ends is null || (starts is not null && ends <= starts))
        {
            state.AddModelError("PhaseEndsAt", text["Phase_EndAfterStart"]);
        }
        return (starts, ends);
    }
}
