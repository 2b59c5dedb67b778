using System.Security.Claims;
using System.Text.Json.Serialization;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Features.Items;

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
    long VotingGroupVoteCount = 0, Guid? PhaseId = null, GeoPoint? Location = null)
{
    public static ItemResponse From(Item i, Func<string, string> label, int comments, SupportCounts supports, ClaimsPrincipal user)
    {
        var staff = user.IsStaff();
        return new ItemResponse(i.Id, i.ProcessId, i.Kind, i.Title, i.Description, i.Official, i.AuthorName,
            i.AuthorId is { } author && user.OptionalUserId() == author, i.District,
            i.FieldsOfAction.Select(f => f.FieldOfActionId).Order().ToList(), i.Themes.Select(t => t.ThemeId).Order().ToList(),
            i.ParentId, i.Priority, i.CostEstimate, i.Status, label(i.Status), i.PublicAnswer, i.AnsweredAt, i.CreatedAt, i.UpdatedAt,
            i.PublishedAt, comments, supports.Citizens,
            i.Kind == ItemKinds.Measure ? MonitoringResponse.From(i) : null,
            staff ? i.InternalNote : null,
            staff ? i.AuthorId : null,
            supports.VotingGroup,
            i.PhaseId,
            i.Latitude is { } lat && i.Longitude is { } lon ? new GeoPoint(lat, lon) : null);
    }
}

/// <summary>An item's support, by electorate: citizens' support and closed groups' (voting-code) votes, apart.</summary>
public readonly record struct SupportCounts(long Citizens, long VotingGroup);

public sealed record ItemPage(IReadOnlyList<ItemResponse> Items, int Page, int PageSize, int Total);

/// <summary>Query string of the item list: filters, full-text search, sorting and paging.</summary>
public sealed record ItemQuery(Guid? FieldOfAction, Guid? Theme, string? District, string? Kind, string? Status, string? Origin, string? Q,
    string? Sort, int? Page, int? PageSize);
