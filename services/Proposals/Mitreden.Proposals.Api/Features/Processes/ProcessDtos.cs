using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Api.Features.Taxonomy;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Features.Processes;

internal static class ProcessResponses
{
    public static ProcessResponse From(Process p, DateTimeOffset now)
    {
        var phases = PhaseResponses.Ordered(p.Phases, now);
        return new ProcessResponse(p.Id, p.Title, p.Description, p.City, p.StartsOn, p.EndsOn, p.Status, p.CreatedAt, p.UpdatedAt,
            p.PublishedAt, p.ArchivedAt,
            p.ItemStatuses.OrderBy(s => s.Position).Select(s => new StatusOption(s.Key, s.Label)).ToList(),
            phases, phases.FirstOrDefault(x => x.IsCurrent),
            p.FieldsOfAction.OrderBy(f => f.Position).Select(TopicResponses.From).ToList(),
            p.Themes.OrderBy(t => t.Position).Select(TopicResponses.From).ToList(),
            p.UnconfirmedAccountsMayComment, p.Visibility);
    }
}

internal static class DefaultItemStatuses
{
    public static readonly IReadOnlyList<StatusOption> All =
    [
        new("neu", "Neu"),
        new("in-pruefung", "In Prüfung"),
        new("angenommen", "Angenommen"),
        new("abgelehnt", "Abgelehnt"),
        new("umgesetzt", "Umgesetzt"),
    ];
}
