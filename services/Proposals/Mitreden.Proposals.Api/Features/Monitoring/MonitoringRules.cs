using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Monitoring;

internal static class MonitoringRules
{
    public static List<(string Field, string Message)> Check(Item item, MonitoringRequest request)
    {
        var errors = new List<(string, string)>();
        if (item.Kind != ItemKinds.Measure)
        {
            errors.Add(("kind", "Monitoring is kept for measures only."));
        }
        if (request.ProgressPercent is < 0 or > 100)
        {
            errors.Add(("progressPercent", "Must be between 0 and 100."));
        }
        if (request.ResponsibleOffice is { Length: > 200 })
        {
            errors.Add(("responsibleOffice", "At most 200 characters."));
        }
        if (request.Note is { Length: > 5_000 })
        {
            errors.Add(("note", "At most 5000 characters."));
        }
        foreach (var (m, index) in (request.Milestones ?? []).Select((m, i) => (m, i)))
        {
            if (string.IsNullOrWhiteSpace(m.Title) || m.Title.Trim().Length > 300)
            {
                errors.Add(($"milestones[{index}].title", "Must have 1 to 300 characters."));
            }
        }
        if (request.Milestones is { Count: > 100 })
        {
            errors.Add(("milestones", "At most 100 milestones."));
        }
        return errors;
    }

    /// <summary>Sets the measure's current monitoring, records it in the history and announces MeasureProgressUpdated.</summary>
    public static void Apply(ProposalsDb db, Item item, MonitoringRequest request, Guid? by, DateTimeOffset at)
    {
        item.MonitoringStatus = request.Status;
        item.ProgressPercent = request.ProgressPercent;
        item.ResponsibleOffice = string.IsNullOrWhiteSpace(request.ResponsibleOffice) ? null : request.ResponsibleOffice.Trim();
        item.MonitoringUpdatedAt = at;
        if (request.Milestones is { } milestones)
        {
            item.Milestones.Clear();
            item.Milestones.AddRange(milestones.Select((m, i) => new Milestone
            {
                Id = Guid.CreateVersion7(), ItemId = item.Id, Title = m.Title.Trim(), DueOn = m.DueOn, DoneOn = m.DoneOn, Position = i + 1,
            }));
        }
        db.MonitoringEntries.Add(new MonitoringEntry
        {
            Id = Guid.CreateVersion7(),
            ItemId = item.Id,
            Status = request.Status,
            ProgressPercent = request.ProgressPercent,
            ResponsibleOffice = item.ResponsibleOffice,
            Note = string.IsNullOrWhiteSpace(request.Note) ? null : request.Note.Trim(),
            RecordedAt = at,
            RecordedBy = by,
        });
        if (item.PublishedAt is not null)
        {
            db.AddOutboxMessage(new MeasureProgressUpdated(item.Id, item.ProcessId, KebabEnum.ToText(request.Status), request.ProgressPercent, at));
        }
    }
}
