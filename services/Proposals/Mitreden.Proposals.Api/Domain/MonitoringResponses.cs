using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Domain;

internal static class MonitoringResponses
{
    public static MonitoringResponse From(Item item) => new(item.MonitoringStatus ?? MonitoringStatus.NotStarted, item.ProgressPercent ?? 0,
        item.ResponsibleOffice,
        item.Milestones.OrderBy(m => m.Position).ThenBy(m => m.DueOn).Select(m => new MilestoneDto(m.Title, m.DueOn, m.DoneOn)).ToList(),
        item.MonitoringUpdatedAt);
}
