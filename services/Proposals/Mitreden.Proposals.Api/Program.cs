using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Documents;
using Mitreden.Proposals.Api.Features.Events;
using Mitreden.Proposals.Api.Features.Import;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Api.Features.Map;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Api.Features.News;
using Mitreden.Proposals.Api.Features.PersonalData;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Api.Features.Taxonomy;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Data;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddProposals();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapProcessesApi();
app.MapProcessVisibilityApi();
app.MapPhaseVisibilityApi();
app.MapPhasesApi();
app.MapTaxonomyApi();
app.MapItemsApi();
app.MapImportApi();
app.MapMonitoringApi();
app.MapNewsApi();
app.MapDocumentsApi();
app.MapEventsApi();
app.MapEventRegistrationsApi();
app.MapMapApi();
app.MapPersonalDataApi();

if (await app.MigrateDatabaseAsync<ProposalsDb>(args))
{
    await app.RunAsync();
}
