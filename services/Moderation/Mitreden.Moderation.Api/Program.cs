using Mitreden.Moderation.Api;
using Mitreden.Moderation.Api.Data;
using Mitreden.Moderation.Api.Features.Audit;
using Mitreden.Moderation.Api.Features.Decide;
using Mitreden.Moderation.Api.Features.Metrics;
using Mitreden.Moderation.Api.Features.PersonalData;
using Mitreden.Moderation.Api.Features.Queue;
using Mitreden.Moderation.Api.Features.Screening;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddModeration();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapQueueApi();
app.MapDecisionsApi();
app.MapMetricsApi();
app.MapAuditApi();
app.MapScreeningRulesApi();
app.MapPersonalDataApi();

if (await app.MigrateDatabaseAsync<ModerationDb>(args))
{
    await app.RunAsync();
}
