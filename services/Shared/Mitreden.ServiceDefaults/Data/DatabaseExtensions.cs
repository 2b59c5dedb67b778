using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Configuration;
using Mitreden.ServiceDefaults.Messaging;
using Npgsql;

namespace Mitreden.ServiceDefaults.Data;

public static class DatabaseExtensions
{
    /// <summary>
    /// The service's own PostgreSQL database through EF Core, its readiness check, and the outbox dispatcher
    /// for events written with <see cref="MessagingModel.AddOutboxMessage{T}"/>.
    /// </summary>
    public static IHostApplicationBuilder AddMitredenDatabase<TDbContext>(this IHostApplicationBuilder builder,
        Action<NpgsqlDataSourceBuilder>? configureDataSource = null) where TDbContext : DbContext
    {
        var connectionString = builder.Configuration.GetRequiredConnectionString("postgres");
        var dataSourceBuilder = new NpgsqlDataSourceBuilder(connectionString);
        // Commands are traced only as part of a trace (a request, a message): the polling of background services
        // (outbox, clocks, closers) would otherwise start a one-span trace several times a second per process.
        dataSourceBuilder.ConfigureTracing(t => t
            .ConfigureCommandFilter(_ => Activity.Current is not null)
            .ConfigureBatchFilter(_ => Activity.Current is not null)
            .ConfigureCopyOperationFilter(_ => Activity.Current is not null));
        configureDataSource?.Invoke(dataSourceBuilder);
        var dataSource = dataSourceBuilder.Build();
        builder.Services.AddSingleton(dataSource);

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSaveChangesInterceptor>();
        OutboxOptions.Add(builder.Services);
        builder.Services.AddDbContext<TDbContext>((sp, o) => o
            .UseNpgsql(dataSource)
            .AddInterceptors(sp.GetRequiredService<OutboxSaveChangesInterceptor>()));
        builder.Services.AddHostedService<OutboxDispatcher<TDbContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TDbContext>("postgres", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// Applies EF Core migrations when <c>Database:MigrateOnStart</c> is true or the process was started with
    /// <c>--migrate-only</c> (the Kubernetes migrations job, also run by ./mitreden before the components start); in
    /// the latter case it also declares the service's queues and bindings on the broker and the process exits.
    /// Returns false when the caller should stop.
    /// </summary>
    public static async Task<bool> MigrateDatabaseAsync<TDbContext>(this WebApplication app, string[] args) where TDbContext : DbContext
    {
        var migrateOnly = MigrationJob.IsRequested(app.Configuration, args);
        if (!migrateOnly && !app.Configuration.GetValue("Database:MigrateOnStart", false))
        {
            return true;
        }
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Mitreden.Migrations");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                await db.Database.MigrateAsync();
                logger.LogInformation("Database migrated for {DbContext}", typeof(TDbContext).Name);
                break;
            }
            catch (NpgsqlException ex) when (attempt < 10)
            {
                logger.LogWarning(ex, "Database not reachable yet (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
        if (migrateOnly)
        {
            try
            {
                await MigrationJob.DeployBusTopologyAsync(app.Services, CancellationToken.None);
                logger.LogInformation("Bus topology deployed for {DbContext}", typeof(TDbContext).Name);
            }
            catch (TimeoutException)
            {
                // The process ends here without waiting for the stuck deployment; running the job again is safe.
                logger.LogError("Bus topology not deployed within {Timeout} s; the migrations job has to run again",
                    MigrationJob.DeployTimeout.TotalSeconds);
                Environment.ExitCode = MigrationJob.ExitDeployTimedOut;
            }
        }
        return !migrateOnly;
    }
}
