using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.ServiceDefaults.Data;
using Mitreden.ServiceDefaults.Tests.Http;
using Mitreden.ServiceDefaults.Tests.Messaging;
using Mitreden.TestKit;
using Npgsql;

namespace Mitreden.ServiceDefaults.Tests.Data;

/// <summary>
/// No PostgreSQL connection to be had, for real: the service's own pool is used up (Npgsql waits its Timeout, then
/// "The connection pool has been exhausted"), or PostgreSQL refuses one more (53300, here the role's connection
/// limit). Either way the caller gets a 503 problem with Retry-After, never a 500 with internals.
/// </summary>
public sealed class ConnectionShortageTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;
    private readonly string _role = $"t_limit_{Guid.NewGuid():N}"[..30];

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("shortage");
        _vhost = await TestVirtualHost.CreateAsync("shortage");
        await using (var db = new ProbeDb(new DbContextOptionsBuilder<ProbeDb>().UseNpgsql(_database.ConnectionString).Options))
        {
            await db.Database.EnsureCreatedAsync();   // a test-only model, as in OutboxTests
        }
        await using var admin = new NpgsqlConnection(_database.ConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand(
            $"CREATE ROLE \"{_role}\" LOGIN CONNECTION LIMIT 1; GRANT ALL ON ALL TABLES IN SCHEMA public TO \"{_role}\";", admin);
        await create.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();   // drops the database with FORCE, closing the role's connections
        await using var admin = new NpgsqlConnection(TestEnvironment.PostgresAdmin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{_role}\"", admin);
        await drop.ExecuteNonQueryAsync();
    }

    private async Task<WebApplication> StartServiceAsync(string connectionString)
    {
        var service = HttpDefaultsTests.BuildApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = connectionString,
            ["ConnectionStrings:redis"] = TestEnvironment.Redis,
            ["ConnectionStrings:rabbitmq"] = _vhost.AmqpUri,
            ["Outbox:PollInterval"] = "00:00:05",
        }, builder =>
        {
            builder.AddMitredenDatabase<ProbeDb>();
            builder.AddMitredenBus();
        });
        service.MapDefaultEndpoints();
        service.MapGet("/notes", async (ProbeDb db, CancellationToken ct) => TypedResults.Ok(await db.Notes.CountAsync(ct)))
            .AllowAnonymous();
        await service.StartAsync();
        return service;
    }

    private static async Task AssertTryAgainProblemAsync(HttpResponseMessage response)
    {
        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        response.Headers.RetryAfter.Should().NotBeNull();
        response.Headers.RetryAfter!.Delta.Should().BePositive();
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var text = await response.Content.ReadAsStringAsync();
        var problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(503);
        problem.GetProperty("code").GetString().Should().Be("try-again");
        text.Should().NotContainAny("Npgsql", "pool", "53300", " at ");
    }

    [Fact]
    public async Task Request_OwnPoolExhausted_Is503ProblemWithRetryAfter()
    {
        var pooled = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 1, Timeout = 1 };
        var service = await StartServiceAsync(pooled.ConnectionString);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(HttpDefaultsTests.Address(service)) };
            (await client.GetAsync("/notes")).StatusCode.Should().Be(HttpStatusCode.OK, "one connection is enough while it is free");

            // The pool's only connection, held as a long request would hold it.
            var dataSource = service.Services.GetRequiredService<NpgsqlDataSource>();
            await using var held = await dataSource.OpenConnectionAsync();
            var another = async () => await dataSource.OpenConnectionAsync();
            (await another.Should().ThrowAsync<NpgsqlException>()).Which.Should().Match<NpgsqlException>(e =>
                e.IsTransient && e.Message.Contains("connection pool has been exhausted"), "what the handler maps to 503");
            using var response = await client.GetAsync("/notes");

            await AssertTryAgainProblemAsync(response);
        }
        finally
        {
            await service.StopAsync();   // stopped, not disposed: see OutboxTests about MassTransit
        }
    }

    [Fact]
    public async Task Request_ServerRefusesConnection53300_Is503ProblemWithRetryAfter()
    {
        var limited = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Username = _role, MaxPoolSize = 5, Timeout = 5 };
        // The role's only connection, taken outside the service: PostgreSQL answers the service's with 53300.
        await using var held = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(limited.ConnectionString) { Pooling = false }.ConnectionString);
        await held.OpenAsync();
        var another = async () => await new NpgsqlConnection(limited.ConnectionString).OpenAsync();
        (await another.Should().ThrowAsync<PostgresException>()).Which.SqlState.Should().Be(PostgresErrorCodes.TooManyConnections);
        var service = await StartServiceAsync(limited.ConnectionString);
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(HttpDefaultsTests.Address(service)) };
            using var response = await client.GetAsync("/notes");

            await AssertTryAgainProblemAsync(response);
        }
        finally
        {
            await service.StopAsync();
        }
    }
}
