using Microsoft.Extensions.DependencyInjection.Extensions;
using MassTransit;
using Mitreden.ServiceDefaults;
using Mitreden.ServiceDefaults.Accounts;
using Mitreden.ServiceDefaults.Data;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Features.Ballots;
using Mitreden.Voting.Api.Features.Closing;
using Mitreden.Voting.Api.Features.Corrections;
using Mitreden.Voting.Api.Features.Demo;
using Mitreden.Voting.Api.Features.Exports;
using Mitreden.Voting.Api.Features.InPerson;
using Mitreden.Voting.Api.Features.Results;
using Mitreden.Voting.Api.Features.Votes;

namespace Mitreden.Voting.Api;

/// <summary>
/// The type tests hand to ServiceFactory (a static class cannot be a type argument); the registrations live in
/// <see cref="VotingModuleExtensions"/>.
/// </summary>
public sealed class VotingModule
{
    private VotingModule()
    {
    }
}

public static class VotingModuleExtensions
{
    public static WebApplicationBuilder AddVoting(this WebApplicationBuilder builder)
    {
        builder.AddMitredenDatabase<VotingDb>();
        builder.AddMitredenRedis();
        builder.AddMitredenBus(bus =>
        {
            bus.AddConsumers(typeof(VotingModuleExtensions).Assembly);
            // Deleted and blocked accounts are refused within seconds, even with a token that is still valid.
            bus.AddRefusedSubjects<VotingDb>();
        });

        var options = VotingOptions.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<VoterKeys>();
        services.AddSingleton<BallotCache>();
        services.AddHostedService<BallotCacheRefresher>();
        services.AddSingleton<VoteQueue>();
        services.AddSingleton<VotePublisher>();
        services.AddSingleton<VoteAcceptanceStore>();
        services.AddSingleton<ResultsReader>();
        services.AddSingleton<ResultAccess>();
        services.AddSingleton<TallyNotifier>();
        services.AddHostedService<TallyNotifierSubscription>();
        services.AddSingleton<SupportEventThrottle>();
        services.AddSingleton<VoteConsumerHooks>();
        services.AddSingleton<VoteBatchWriter>();
        // Demo data first (hosted services start in order), so a ready instance has its ballots.
        services.AddHostedService<DemoSeeder>();
        if (options.ConsumerEnabled)
        {
            services.AddSingleton<VoteConsumer>();
            services.AddHostedService(sp => sp.GetRequiredService<VoteConsumer>());
        }
        services.AddSingleton<BallotCloser>();
        services.AddHostedService(sp => sp.GetRequiredService<BallotCloser>());
        services.AddHealthChecks().AddCheck<VoteQueueHealthCheck>("votes-queue", tags: ["ready"]);
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
        return app;
    }
}
