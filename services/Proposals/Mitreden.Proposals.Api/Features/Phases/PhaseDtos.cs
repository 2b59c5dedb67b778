using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;

namespace Mitreden.Proposals.Api.Features.Phases;

public sealed record PhaseRequest(string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches,
    string? Description = null);

/// <param name="Position">1-based place in the process, by start time.</param>
public sealed record PhaseResponse(Guid Id, Guid ProcessId, int Position, string Title, string? Description, string Kind,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches, bool IsCurrent, string Visibility)
{
    public static IReadOnlyList<PhaseResponse> Ordered(IEnumerable<Phase> phases, DateTimeOffset now) =>
        phases.OrderBy(p => p.StartsAt).ThenBy(p => p.Id)
            .Select((p, index) => new PhaseResponse(p.Id, p.ProcessId, index + 1, p.Title, p.Description, p.Kind, p.StartsAt, p.EndsAt,
                p.Switches, p.IsCurrent(now), p.Visibility))
            .ToList();
}
