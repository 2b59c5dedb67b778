using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Data;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Features.Ballots;
using Mitreden.Voting.Api.Features.Closing;
using Mitreden.Voting.Api.Features.Corrections;
using Mitreden.Voting.Api.Features.Demo;
using Mitreden.Voting.Api.Features.Exports;
using Mitreden.Voting.Api.Features.InPerson;
using Mitreden.Voting.Api.Features.PersonalData;
using Mitreden.Voting.Api.Features.Surveys;
using Mitreden.Voting.Api.Features.Results;
using Mitreden.Voting.Api.Features.Votes;
using Mitreden.Voting.Api.Pipeline;

namespace Mitreden.Voting.Api;

public static class VotingModule
{
    public static WebApplicationBuilder AddVoting(this WebApplicationBuilder builder)
    {
        builder.AddMitredenDatabase<VotingDb>();
        builder.AddMitredenRedis();
        var services = builder.Services;
        VotingOptions.Add(services);
        // Which parts run is the composition's own decision, read once here; everything else reads the checked options.
        var options = builder.Configuration.GetSection(VotingOptions.Section).Get<VotingOptions>() ?? new VotingOptions();
        if (options.ConsumerEnabled)
        {
            // Before the bus: hosted services start one after another, and MassTransit's start waits until the bus is
            // up (WaitUntilStarted; seconds on a busy machine). The vote consumer needs none of it to count votes.
            services.AddSingleton<VoteConsumer>();
            services.AddHostedService(sp => sp.GetRequiredService<VoteConsumer>());
        }
        builder.AddMitredenBus(bus =>
        {
            bus.AddConsumers(typeof(VotingModule).Assembly);
            // Deleted and blocked accounts are refused within seconds, even with a token that is still valid.
            bus.AddRefusedSubjects<VotingDb>();
        });

        services.AddSingleton(sp => sp.GetRequiredService<IOptions<VotingOptions>>().Value);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<VoterKeys>();
        services.AddSingleton<BallotCache>();
        services.AddSingleton<ProcessGate>();
        services.AddHostedService<BallotCacheRefresher>();
        services.AddSingleton<VoteQueue>();
        services.AddSingleton<VotePublisher>();
        services.AddSingleton<VoteAcceptanceStore>();
        services.AddSingleton<AcceptedVotes>();
        services.AddHostedService(sp => sp.GetRequiredService<AcceptedVotes>());
        services.AddSingleton<ResultsReader>();
        services.AddSingleton<ResultAccess>();
        services.AddSingleton<TallyNotifier>();
        services.AddHostedService<TallyNotifierSubscription>();
        services.AddSingleton<SupportEventThrottle>();
        services.TryAddSingleton<IVoteBatchHooks, NoVoteBatchHooks>();
        services.AddSingleton<VoteBatchWriter>();
        if (options.ApiEnabled)
        {
            // Seeded before the API answers (hosted services start before the server), so a ready instance has its
            // ballots; a consumer-only process has no use for them.
            services.AddHostedService<DemoSeeder>();
        }
        services.AddSingleton<BallotCloser>();
        services.AddHostedService(sp => sp.GetRequiredService<BallotCloser>());
        // Ready means: this process can do its part of the vote path. An API instance can publish votes (whether a
        // consumer runs anywhere does not matter to accepting them); a consumer-only process is consuming them.
        if (options.ApiEnabled)
        {
            services.AddHealthChecks().AddCheck<VoteQueueHealthCheck>("votes-queue", tags: ["ready"]);
        }
        else if (options.ConsumerEnabled)
        {
            // Its only check: the consumer reports ready after its first committed batch (or an empty queue), which
            // needs the broker and the database. A check that opens a connection of its own (postgres) answers late
            // while this process drains a backlog on a busy machine, and would keep a working consumer "not ready".
            services.AddHealthChecks().AddCheck<VoteConsumerHealthCheck>("votes-consumer", tags: ["ready"]);
            services.PostConfigure<HealthCheckServiceOptions>(o =>
            {
                foreach (var check in o.Registrations.Where(r => r.Name != "votes-consumer"))
                {
                    check.Tags.Remove("ready");
                }
            });
            // Nor does it wait for MassTransit's start (it only carries the support events from the outbox, which wait
            // there until the bus is up) before it answers health probes.
            services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        }
        return builder;
    }

    public static WebApplication MapVotingApi(this WebApplication app)
    {
        app.MapBallotsApi();
        app.MapVotesApi();
        app.MapResultsApi();
        app.MapResultVersionsApi();
        app.MapCorrectionsApi();
        app.MapClosingApi();
        app.MapInPersonApi();
        app.MapExportsApi();
        app.MapPersonalDataApi();
        app.MapSurveysApi();
        return app;
    }
}
