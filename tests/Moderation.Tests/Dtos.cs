// The service's own response records, read back as the web front end would read them.
global using QueuePageDto = Mitreden.Moderation.Api.Features.Queue.QueuePage;
global using QueueEntryDto = Mitreden.Moderation.Api.Features.Queue.QueueEntry;
global using DecisionResponseDto = Mitreden.Moderation.Api.Features.Decide.DecisionResponse;
global using ScreeningRulesViewDto = Mitreden.Moderation.Api.Features.Screening.ScreeningRulesView;
global using MetricsSummaryDto = Mitreden.Moderation.Api.Features.Metrics.MetricsSummary;
global using CommentViewDto = Mitreden.Moderation.Api.Features.Queue.CommentView;
