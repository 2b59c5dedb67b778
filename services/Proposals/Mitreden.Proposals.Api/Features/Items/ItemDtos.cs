using System.Security.Claims;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Features.Items;

internal static class ItemResponses
{
    public static ItemResponse From(Item i, Func<string, string> label, int comments, SupportCounts supports, ClaimsPrincipal user)
    {
        var staff = user.IsStaff();
        return new ItemResponse(i.Id, i.ProcessId, i.Kind, i.Title, i.Description, i.Official, i.AuthorName,
            i.AuthorId is { } author && user.OptionalUserId() == author, i.District,
            i.FieldsOfAction.Select(f => f.FieldOfActionId).Order().ToList(), i.Themes.Select(t => t.ThemeId).Order().ToList(),
            i.ParentId, i.Priority, i.CostEstimate, i.Status, label(i.Status), i.PublicAnswer, i.AnsweredAt, i.CreatedAt, i.UpdatedAt,
            i.PublishedAt, comments, supports.Citizens,
            i.Kind == ItemKinds.Measure ? MonitoringResponses.From(i) : null,
            staff ? i.InternalNote : null,
            staff ? i.AuthorId : null,
            supports.VotingGroup,
            i.PhaseId,
            i.Latitude is { } lat && i.Longitude is { } lon ? new GeoPoint(lat, lon) : null);
    }
}

/// <summary>An item's support, by electorate: citizens' support and closed groups' (voting-code) votes, apart.</summary>
public readonly record struct SupportCounts(long Citizens, long VotingGroup);

