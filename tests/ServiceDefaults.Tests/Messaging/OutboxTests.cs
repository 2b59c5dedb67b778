using System.Collections.Concurrent;
using FluentAssertions;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mitreden.ServiceDefaults.Data;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.ServiceDefaults.Tests.Messaging;

public record OutboxProbe(Guid RunId, int Number);

/// <summary>A state change and the event it emits, in one table pair of a throwaway database.</summary>
public sealed class ProbeDb(DbContextOptions<ProbeDb> options) : DbContext(options)
{
    public DbSet<ProbeNote> Notes => Set<ProbeNote>();
    public DbSet<ProbeApplied> Applied => Set<ProbeApplied>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMitredenMessaging();
        modelBuilder.Entity<ProbeNote>().ToTable("probe_notes");
        modelBuilder.Entity<ProbeApplied>().ToTable("probe_applied").HasKey(a => new { a.RunId, a.Number });
    }
}

public sealed class ProbeNote
{
    public int Id { get; set; }
    public required string Text { get; set; }
}

public sealed class ProbeApplied
{
    public Guid RunId { get; set; }
    public int Number { get; set; }
    public int Times { get; set; }
}

/// <summary>Counts deliveries (in memory) and applications (in the database, idempotently).</summary>
public sealed class OutboxProbeConsumer(ProbeDb db) : IConsumer<OutboxProbe>
{
    public static readonly ConcurrentDictionary<(Guid, int), int> Deliveries = new();

    public async Task Consume(ConsumeContext<OutboxProbe> context)
    {
        Deliveries.AddOrUpdate((context.Message.RunId, context.Message.Number), 1, (_, n) => n + 1);
        if (await db.AlreadyProcessedAsync(context, nameof(OutboxProbeConsumer)))
        {
            return;
        }
        var row = await db.Applied.FindAsync(context.Message.RunId, context.Message.Number);
        if (row is null)
        {
            db.Applied.Add(new ProbeApplied { RunId = context.Message.RunId, Number = context.Message.Number, Times = 1 });
        }
        else
        {
            row.Times++;
        }
        await db.SaveChangesAsync();
    }
}

public sealed class OutboxTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private TestVirtualHost _vhost = null!;
    private readonly List<IHost> _hosts = [];
    private readonly Guid _run = Guid.NewGuid();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("outbox");
        _vhost = await TestVirtualHost.CreateAsync("outbox");
        await using var db = NewDb();
        // A test-only model: created from the model directly; services use migrations.
        await db.Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync()
    {
        // Hosts are stopped but not disposed: MassTransit 8.4 breaks a later bus in the same process when an
        // earlier bus's service provider is disposed.
        foreach (var host in _hosts)
        {
            await host.StopAsync(TimeSpan.FromSeconds(10));
        }
        await _vhost.DisposeAsync();
        await _database.DisposeAsync();
    }

    private ProbeDb NewDb() => new(new DbContextOptionsBuilder<ProbeDb>().UseNpgsql(_database.ConnectionString).Options);

    private async Task<IHost> StartHostAsync(bool withConsumer = true)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = _database.ConnectionString,
            ["ConnectionStrings:rabbitmq"] = _vhost.AmqpUri,
            ["Outbox:PollInterval"] = "00:00:00.200",
        });
        builder.AddMitredenDatabase<ProbeDb>();
        builder.Services.AddMitredenBus(builder.Configuration, bus =>
        {
            if (withConsumer)
            {
                bus.AddConsumer<OutboxProbeConsumer>();
            }
        });
        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync();
        await host.Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        return host;
    }

    private async Task CommitNoteWithEventsAsync(params int[] numbers)
    {
        await using var db = NewDb();
        db.Notes.Add(new ProbeNote { Text = "state change " + string.Join(",", numbers) });
        foreach (var number in numbers)
        {
            db.AddOutboxMessage(new OutboxProbe(_run, number));
        }
        await db.SaveChangesAsync();
    }

    private int DeliveriesOf(int number) => OutboxProbeConsumer.Deliveries.GetValueOrDefault((_run, number));

    [Fact]
    public async Task Dispatcher_CommittedEvent_IsConsumedOverRealBrokerAndMarked()
    {
        await StartHostAsync();

        await CommitNoteWithEventsAsync(1);

        await Eventually.AssertAsync(() =>
        {
            DeliveriesOf(1).Should().Be(1);
            return Task.CompletedTask;
        });
        // The probe counts a delivery before its transaction commits, and the dispatcher marks the row after the
        // broker's confirm: both may trail the delivery a little.
        await Eventually.AssertAsync(async () =>
        {
            await using var db = NewDb();
            var row = await db.Set<OutboxMessage>().SingleAsync();
            row.DispatchedAt.Should().NotBeNull();
            (await db.Applied.Where(a => a.RunId == _run).ToListAsync()).Should().ContainSingle().Which.Times.Should().Be(1);
        });
    }

    [Fact]
    public async Task Dispatcher_KilledBetweenCommitAndDispatch_DeliversAfterRestart()
    {
        // The consumer's durable queue exists (the service ran before) ...
        var earlier = await StartHostAsync();
        await earlier.StopAsync(TimeSpan.FromSeconds(10));
        // ... but no dispatcher runs while the transaction commits: the process died right after the commit.
        await CommitNoteWithEventsAsync(1, 2, 3);
        await Task.Delay(500);
        DeliveriesOf(1).Should().Be(0);

        await StartHostAsync();

        await Eventually.AssertAsync(() =>
        {
            new[] { DeliveriesOf(1), DeliveriesOf(2), DeliveriesOf(3) }.Should().Equal(1, 1, 1);
            return Task.CompletedTask;
        });
        // The dispatcher marks a row after the broker confirmed it, so the consumer may see it first.
        await Eventually.AssertAsync(async () =>
        {
            await using var db = NewDb();
            (await db.Set<OutboxMessage>().CountAsync(m => m.DispatchedAt == null)).Should().Be(0);
        });
    }

    [Fact]
    public async Task Dispatcher_CrashAfterPublishBeforeMark_RedeliversAndConsumerAppliesOnce()
    {
        await StartHostAsync();
        await CommitNoteWithEventsAsync(7);
        await Eventually.AssertAsync(() =>
        {
            DeliveriesOf(7).Should().Be(1);
            return Task.CompletedTask;
        });
        await Eventually.AssertAsync(async () =>
        {
            await using var db = NewDb();
            (await db.Set<OutboxMessage>().CountAsync(m => m.DispatchedAt == null)).Should().Be(0, "the dispatcher marks after the confirm");
        });

        // The mark of the dispatched row is lost, as if the process died after the broker's confirm.
        await using (var db = NewDb())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE outbox_messages SET dispatched_at = NULL");
        }

        await Eventually.AssertAsync(async () =>
        {
            DeliveriesOf(7).Should().BeGreaterThanOrEqualTo(2, "the row was published again");
            await using var db = NewDb();
            (await db.Set<OutboxMessage>().CountAsync(m => m.DispatchedAt == null)).Should().Be(0);
            (await db.Applied.CountAsync(a => a.RunId == _run && a.Number == 7)).Should().Be(1);
        });
        // Give a late duplicate the chance to do harm before looking.
        await Task.Delay(500);
        await using var check = NewDb();
        (await check.Applied.SingleAsync(a => a.RunId == _run && a.Number == 7)).Times.Should().Be(1,
            "the processed-message record drops the second delivery of the same MessageId");
    }

    [Fact]
    public async Task Dispatcher_RolledBackTransaction_PublishesNothing()
    {
        await StartHostAsync();
        await using (var db = NewDb())
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Notes.Add(new ProbeNote { Text = "never happened" });
            db.AddOutboxMessage(new OutboxProbe(_run, 99));
            await db.SaveChangesAsync();
            await tx.RollbackAsync();
        }
        await CommitNoteWithEventsAsync(100);

        await Eventually.AssertAsync(() =>
        {
            DeliveriesOf(100).Should().Be(1);
            return Task.CompletedTask;
        });
        DeliveriesOf(99).Should().Be(0);
    }

    [Fact]
    public async Task Dispatcher_TwoInstancesOnOneDatabase_PublishEachRowOnce()
    {
        await StartHostAsync();
        await StartHostAsync(withConsumer: false);

        var numbers = Enumerable.Range(1000, 300).ToArray();
        foreach (var chunk in numbers.Chunk(30))
        {
            await CommitNoteWithEventsAsync(chunk);
        }

        // Waits on what the consumer committed, not on its in-memory delivery count: that count goes up when a
        // delivery starts, before the consumer's transaction commits, so on a slow machine the last row could still
        // be on its way into probe_applied when the count was already complete.
        await Eventually.AssertAsync(async () =>
        {
            await using var db = NewDb();
            (await db.Applied.CountAsync(a => a.RunId == _run)).Should().Be(300);
        }, TimeSpan.FromSeconds(60));
        numbers.Select(DeliveriesOf).Should().OnlyContain(d => d == 1, "each row is claimed by one dispatcher only");
        await using var check = NewDb();
        (await check.Applied.CountAsync(a => a.RunId == _run && a.Times != 1)).Should().Be(0);
        // A dispatcher marks its rows after the broker confirmed them, which can be after the consumer committed.
        await Eventually.AssertAsync(async () =>
        {
            await using var db = NewDb();
            (await db.Set<OutboxMessage>().CountAsync(m => m.DispatchedAt == null)).Should().Be(0, "every row is marked as published");
        }, TimeSpan.FromSeconds(30));
    }
}

public sealed class EndpointNameTests
{
    [Theory]
    [InlineData("Mitreden.Voting.Api", "voting")]
    [InlineData("Mitreden.Moderation.Api", "moderation")]
    [InlineData("testhost", "testhost")]
    public void FromApplicationName_ServiceAssembly_GivesShortName(string applicationName, string expected) =>
        ServiceNames.FromApplicationName(applicationName).Should().Be(expected);

    [Fact]
    public void Formatter_WithServicePrefix_GivesEachServiceItsOwnQueue()
    {
        var moderation = new KebabCaseEndpointNameFormatter("moderation", false);
        var proposals = new KebabCaseEndpointNameFormatter("proposals", false);

        var a = moderation.Consumer<OutboxProbeConsumer>();
        var b = proposals.Consumer<OutboxProbeConsumer>();

        a.Should().StartWith("moderation").And.EndWith("outbox-probe");
        b.Should().StartWith("proposals");
        a.Should().NotBe(b);
    }
}
