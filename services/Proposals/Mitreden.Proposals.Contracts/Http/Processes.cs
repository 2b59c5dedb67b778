namespace Mitreden.Proposals.Contracts.Http;

// Processes' HTTP types, owned by Proposals and read by the web (additive changes only, like the events).
// Enums travel as kebab-case strings ("draft", "in-progress").

public enum ProcessStatus { Draft, Published, Archived }

/// <summary>One status an item of the process can have: its key (stable, in URLs and events) and its label.</summary>
public sealed record StatusOption(string Key, string Label);

/// <param name="ItemStatuses">The status set for items; null keeps the current one (default: neu, in Prüfung, angenommen, abgelehnt, umgesetzt).</param>
/// <param name="UnconfirmedAccountsMayComment">True lets accounts without a confirmed email address comment; null keeps the
/// current setting (default false).</param>
/// <param name="Visibility">Only when creating: public (default), members or internal; later changes go through PUT …/visibility.</param>
public sealed record ProcessRequest(string Title, string City, string Description = "", DateOnly? StartsOn = null, DateOnly? EndsOn = null,
    IReadOnlyList<StatusOption>? ItemStatuses = null, bool? UnconfirmedAccountsMayComment = null, string? Visibility = null);

/// <param name="Visibility">public, members or internal (<see cref="ProcessVisibilities"/>).</param>
public sealed record ProcessSummary(Guid Id, string Title, string City, DateOnly? StartsOn, DateOnly? EndsOn, ProcessStatus Status,
    DateTimeOffset? PublishedAt, PhaseResponse? CurrentPhase, string Visibility);

/// <param name="Visibility">public, members or internal (<see cref="ProcessVisibilities"/>).</param>
public sealed record ProcessResponse(Guid Id, string Title, string Description, string City, DateOnly? StartsOn, DateOnly? EndsOn,
    ProcessStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ArchivedAt,
    IReadOnlyList<StatusOption> ItemStatuses, IReadOnlyList<PhaseResponse> Phases, PhaseResponse? CurrentPhase,
    IReadOnlyList<TopicResponse> FieldsOfAction, IReadOnlyList<TopicResponse> Themes, bool UnconfirmedAccountsMayComment,
    string Visibility);

/// <param name="Visibility">One of public, members, internal (<see cref="ProcessVisibilities"/>).</param>
public sealed record ProcessVisibilityRequest(string? Visibility);

public sealed record ProcessMemberResponse(Guid AccountId, DateTimeOffset AddedAt);

/// <summary>Who may see a process and its members (invited accounts); staff only.</summary>
public sealed record ProcessVisibilityResponse(Guid ProcessId, string Visibility, IReadOnlyList<ProcessMemberResponse> Members);
