using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Api.Features.Taxonomy;

namespace Mitreden.Proposals.Api.Features.Processes;

public sealed record StatusOptionDto(string Key, string Label);

/// <param name="ItemStatuses">The status set for items; null keeps the current one (default: neu, in Prüfung, angenommen, abgelehnt, umgesetzt).</param>
/// <param name="UnconfirmedAccountsMayComment">True lets accounts without a confirmed email address comment; null keeps the
/// current setting (default false).</param>
/// <param name="Visibility">Only when creating: public (default), members or internal; later changes go through PUT …/visibility.</param>
public sealed record ProcessRequest(string Title, string City, string Description = "", DateOnly? StartsOn = null, DateOnly? EndsOn = null,
    IReadOnlyList<StatusOptionDto>? ItemStatuses = null, bool? UnconfirmedAccountsMayComment = null, string? Visibility = null);

public sealed record ProcessSummary(Guid Id, string Title, string City, DateOnly? StartsOn, DateOnly? EndsOn, ProcessStatus Status,
    DateTimeOffset? PublishedAt, PhaseResponse? CurrentPhase, string Visibility);

public sealed record ProcessResponse(Guid Id, string Title, string Description, string City, DateOnly? StartsOn, DateOnly? EndsOn,
    ProcessStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, DateTimeOffset? ArchivedAt,
    IReadOnlyList<StatusOptionDto> ItemStatuses, IReadOnlyList<PhaseResponse> Phases, PhaseResponse? CurrentPhase,
    IReadOnlyList<TopicResponse> FieldsOfAction, IReadOnlyList<TopicResponse> Themes, bool UnconfirmedAccountsMayComment,
    string Visibility)
{
    public static ProcessResponse From(Process p, DateTimeOffset now)
    {
        var phases = PhaseResponse.Ordered(p.Phases, now);
        return new ProcessResponse(p.Id, p.Title, p.Description, p.City, p.StartsOn, p.EndsOn, p.Status, p.CreatedAt, p.UpdatedAt,
            p.PublishedAt, p.ArchivedAt,
            p.ItemStatuses.OrderBy(s => s.Position).Select(s => new StatusOptionDto(s.Key, s.Label)).ToList(),
            phases, phases.FirstOrDefault(x => x.IsCurrent),
            p.FieldsOfAction.OrderBy(f => f.Position).Select(TopicResponse.From).ToList(),
            p.Themes.OrderBy(t => t.Position).Select(TopicResponse.From).ToList(),
            p.UnconfirmedAccountsMayComment, p.Visibility);
    }
}

internal static class DefaultItemStatuses
{
    public static readonly IReadOnlyList<StatusOptionDto> All =
    [
        new("neu", "Neu"),
        new("in-pruefung", "In Prüfung"),
        new("angenommen", "Angenommen"),
        new("abgelehnt", "Abgelehnt"),
        new("umgesetzt", "Umgesetzt"),
    ];
}
