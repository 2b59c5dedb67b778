using System.Text.Json.Serialization;

namespace Mitreden.Proposals.Contracts.Http;

// Items' HTTP types, owned by Proposals and read by the web (additive changes only, like the events).
// Enums travel as kebab-case strings ("high").

public enum Priority { High, Medium, Low }

/// <param name="Kind">Staff: vision, guiding-goal, measure or scenario. Citizens: omit it or give citizen-idea.</param>
/// <param name="Priority">Staff only.</param>
/// <param name="PhaseId">Staff only: the phase of this process the item belongs to; it then follows the phase's visibility.</param>
/// <param name="Location">Where it is on the map, inside the process's city; null for none.</param>
public sealed record CreateItemRequest(string Title, string Description = "", string? Kind = null, IReadOnlyList<Guid>? FieldOfActionIds = null,
    IReadOnlyList<Guid>? ThemeIds = null, string? District = null, Guid? ParentId = null, Priority? Priority = null, decimal? CostEstimate = null,
    Guid? PhaseId = null, GeoPoint? Location = null);

/// <summary>Replaces the editable content of an item (the kind never changes).</summary>
/// <param name="PhaseId">Staff only: moves the item to this phase of its process; null keeps its phase.</param>
/// <param name="Location">Where it is on the map, inside the process's city; null removes it (like every other field, it is replaced).</param>
public sealed record UpdateItemRequest(string Title, string Description = "", IReadOnlyList<Guid>? FieldOfActionIds = null,
    IReadOnlyList<Guid>? ThemeIds = null, string? District = null, Guid? ParentId = null, Priority? Priority = null, decimal? CostEstimate = null,
    Guid? PhaseId = null, GeoPoint? Location = null);

/// <param name="Status">A key of the process's item statuses (<see cref="StatusOption"/>).</param>
/// <param name="InternalNote">Staff only; never shown to anyone else.</param>
public sealed record ItemStatusRequest(string Status, string? PublicAnswer = null, string? InternalNote = null);

/// <param name="IsOwn">True when the caller wrote this item.</param>
/// <param name="InternalNote">Present for staff only.</param>
/// <param name="AuthorId">Present for staff only (everyone else sees the display name).</param>
/// <param name="SupportCount">Citizens' support (ballots for accounts) only.</param>
/// <param name="VotingGroupVoteCount">Votes of closed groups with voting codes (e.g. the council), never added to <paramref name="SupportCount"/>.</param>
public sealed record ItemResponse(Guid Id, Guid ProcessId, string Kind, string Title, string Description, bool Official, string? AuthorName,
    bool IsOwn, string? District, IReadOnlyList<Guid> FieldOfActionIds, IReadOnlyList<Guid> ThemeIds, Guid? ParentId, Priority? Priority,
    decimal? CostEstimate, string Status, string StatusLabel, string? PublicAnswer, DateTimeOffset? AnsweredAt, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, int CommentCount, long SupportCount, MonitoringResponse? Monitoring,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InternalNote,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? AuthorId,
    long VotingGroupVoteCount = 0, Guid? PhaseId = null, GeoPoint? Location = null);

/// <summary>Orders of the item list (query "sort"); "relevance" needs a search text (q).</summary>
public static class ItemSorts
{
    public static readonly IReadOnlyList<string> All = ["newest", "oldest", "title", "most-comments", "most-supports", "relevance"];
}

public sealed record ItemPage(IReadOnlyList<ItemResponse> Items, int Page, int PageSize, int Total);

/// <summary>Query string of the item list: filters, full-text search, sorting and paging; every part is optional.</summary>
public sealed record ItemQuery(Guid? FieldOfAction = null, Guid? Theme = null, string? District = null, string? Kind = null,
    string? Status = null, string? Origin = null, string? Q = null, string? Sort = null, int? Page = null, int? PageSize = null);
