namespace Mitreden.Proposals.Contracts;

/// <summary>
/// Staff created or changed an event of a process (title, time, place, phase). Carries nothing about who registered:
/// Identity keeps a copy to remind the process's followers the day before.
/// </summary>
/// <param name="PhaseId">The phase the event belongs to (it follows the phase's visibility), or null.</param>
/// <param name="Place">The place, or null for an event held online only.</param>
/// <param name="Revision">Grows with every change of the event; a copy keeps the highest it has seen.</param>
public record EventScheduled(Guid EventId, Guid ProcessId, Guid? PhaseId, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    string? Place, bool Online, int Revision, DateTimeOffset ChangedAt);

/// <summary>Staff cancelled or deleted an event: nobody is reminded of it any more. Final: it is never scheduled again.</summary>
/// <param name="Deleted">True when the event was deleted rather than cancelled.</param>
public record EventCancelled(Guid EventId, Guid ProcessId, bool Deleted, DateTimeOffset CancelledAt);
