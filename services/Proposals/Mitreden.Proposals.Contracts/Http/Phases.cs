namespace Mitreden.Proposals.Contracts.Http;

// Phases' HTTP types, owned by Proposals and read by the web (additive changes only, like the events).

/// <param name="Kind">One of <see cref="PhaseKinds"/>.</param>
public sealed record PhaseRequest(string Title, string Kind, DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches,
    string? Description = null);

/// <param name="Position">1-based place in the process, by start time.</param>
/// <param name="Visibility">The phase's own setting (public, members or internal).</param>
public sealed record PhaseResponse(Guid Id, Guid ProcessId, int Position, string Title, string? Description, string Kind,
    DateTimeOffset StartsAt, DateTimeOffset EndsAt, PhaseSwitches Switches, bool IsCurrent, string Visibility);

/// <param name="Visibility">One of public, members, internal (<see cref="ProcessVisibilities"/>).</param>
public sealed record PhaseVisibilityRequest(string? Visibility);

/// <param name="Visibility">The phase's own setting.</param>
/// <param name="ProcessVisibility">The process's setting; the stricter of the two holds (<see cref="Effective"/>).</param>
public sealed record PhaseVisibilityResponse(Guid ProcessId, Guid PhaseId, string Visibility, string ProcessVisibility, string Effective);
