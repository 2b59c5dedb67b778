// The service's own response records, read back as the web front end would read them.
global using QueuePageDto = Mitreden.Moderation.Contracts.Http.QueuePage;
global using QueueEntryDto = Mitreden.Moderation.Contracts.Http.QueueEntry;
global using DecisionResponseDto = Mitreden.Moderation.Contracts.Http.DecisionResponse;
global using ScreeningRulesViewDto = Mitreden.Moderation.Contracts.Http.ScreeningRulesView;
global using MetricsSummaryDto = Mitreden.Moderation.Contracts.Http.MetricsSummary;
global using CommentViewDto = Mitreden.Moderation.Contracts.Http.ModeratedCommentView;
