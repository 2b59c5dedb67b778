using MassTransit;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Announcements;
using Mitreden.Proposals.Api.Features.Demo;
using Mitreden.Proposals.Api.Features.Documents;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Api.Features.Phases;
using Mitreden.Proposals.Api.Features.News;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Data;

namespace Mitreden.Proposals.Api;

public static class ProposalsModule
{
    public static WebApplicationBuilder AddProposals(this WebApplicationBuilder builder)
    {
        builder.AddMitredenDatabase<ProposalsDb>();
        builder.AddMitredenRedis();
        builder.AddMitredenBus(bus =>
        {
            bus.AddConsumers(typeof(ProposalsModule).Assembly);
            // Deleted and blocked accounts are refused within seconds, even with a token that is still valid.
            bus.AddRefusedSubjects<ProposalsDb>();
        });

        builder.Services.AddOptions<PhaseClockOptions>().BindConfiguration(PhaseClockOptions.Section)
            .Validate(o => o.PhaseClockInterval > TimeSpan.Zero, "Proposals:PhaseClockInterval must be a positive time span (e.g. 00:00:05).")
            .ValidateOnStart();
        builder.Services.AddOptions<MonitoringReportOptions>().BindConfiguration("Proposals:Reports")
            .Validate(o => !string.IsNullOrWhiteSpace(o.FontDirectory), "Proposals:Reports:FontDirectory must name a folder.")
            .ValidateOnStart();
        builder.Services.AddOptions<LocationOptions>().BindConfiguration(LocationOptions.Section)
            .Validate(LocationOptions.Valid, "Proposals:Locations:Cities:<City> must be a rectangle: South < North within -90..90, West < East within -180..180.")
            .ValidateOnStart();
        builder.Services.AddSingleton<CityAreas>();
        builder.Services.AddSingleton<NewsMarkdown>();
        builder.Services.AddSingleton<IDocumentStore, PostgresDocumentStore>();
        // The seeder starts first (hosted services start in order), so the clock never races the demo's own publishing.
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddHostedService<PhaseClock>();
        builder.Services.AddHostedService<Reannouncement>();
        return builder;
    }
}
