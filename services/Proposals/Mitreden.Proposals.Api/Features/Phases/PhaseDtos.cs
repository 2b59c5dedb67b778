using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Features.Phases;

internal static class PhaseResponses
{
    /// <summary>The phases by start time, numbered from 1.</summary>
    public static IReadOnlyList<PhaseResponse> Ordered(IEnumerable<Phase> phases, DateTimeOffset now) =>
        phases.OrderBy(p => p.StartsAt).ThenBy(p => p.Id)
            .Select((p, index) => new PhaseResponse(p.Id, p.ProcessId, index + 1, p.Title, p.Description, p.Kind, p.StartsAt, p.EndsAt,
                p.Switches, p.IsCurrent(now), p.Visibility))
            .ToList();
}
