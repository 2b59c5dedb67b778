using Microsoft.EntityFrameworkCore;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Events;
using Mitreden.Proposals.Api.Features.Items;
using Mitreden.Proposals.Api.Features.Locations;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Api.Features.News;
using Mitreden.Proposals.Api.Features.Processes;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.ServiceDefaults.Messaging;

namespace Mitreden.Proposals.Api.Features.Demo;

/// <summary>
/// With Demo:Seed=true and no process in the database, seeds one process per seed document (German, fixed ids).
/// It goes through the same rules as the endpoints: items are checked and created by <see cref="ItemRules"/>, processes
/// published by <see cref="ProcessLifecycle"/>, monitoring by <see cref="MonitoringRules"/>, so ProcessPublished,
/// PhaseStarted, ItemPublished etc. leave through the outbox and Comments and Voting learn the demo content.
/// </summary>
internal sealed class DemoSeeder(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock, ILogger<DemoSeeder> logger)
    : IHostedService
{
    private const long AdvisoryLockKey = 0x50524F504F53; // "PROPOS": two instances starting together seed once

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
            if (await db.Processes.AnyAsync(cancellationToken))
            {
                logger.LogInformation("Demo seed skipped: the database already holds processes");
                return;
            }
            await SeedAsync(db, clock, cancellationToken);
            logger.LogInformation("Demo content seeded (5 processes)");
        }
        finally
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
            await db.Database.CloseConnectionAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal static async Task SeedAsync(ProposalsDb db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        SeedDistricts(db);
        await db.SaveChangesAsync(ct);
        foreach (var demo in DemoContent.All(today))
        {
            await SeedProcessAsync(db, demo, clock, ct);
        }
    }

    private static readonly (string Slug, string Name)[] Districts = [("mitte", "Mitte"), ("nord", "Nord"), ("sued", "Süd"), ("ost", "Ost"), ("west", "West")];

    private static void SeedDistricts(ProposalsDb db)
    {
        string[] cities = ["Bergkamen", "Leverkusen", "Kaiserslautern", "Delmenhorst", "Lünen"];
        for (var c = 0; c < cities.Length; c++)
        {
            for (var d = 0; d < Districts.Length; d++)
            {
                db.Districts.Add(new District { Id = DemoIds.District(c + 1, d + 1), City = cities[c], Slug = Districts[d].Slug, Name = Districts[d].Name });
            }
        }
    }

    private static async Task SeedProcessAsync(ProposalsDb db, DemoProcess demo, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var processId = DemoIds.Process(demo.Number);
        var process = new Process { Id = processId, Title = "", Description = "", City = "", Status = ProcessStatus.Draft, CreatedAt = now };
        var problem = ProcessesApi.Apply(process,
            new ProcessRequest(demo.Title, demo.City, demo.Description, demo.StartsOn, demo.EndsOn, DefaultItemStatuses.All), now);
        if (problem is not null)
        {
            throw new InvalidOperationException($"Demo process {demo.Number} is invalid.");
        }
        db.Processes.Add(process);
        for (var i = 0; i < demo.Phases.Length; i++)
        {
            var p = demo.Phases[i];
            db.Phases.Add(new Phase
            {
                Id = DemoIds.Phase(demo.Number, i + 1), ProcessId = processId, Title = p.Title, Description = p.Description, Kind = p.Kind,
                StartsAt = p.StartsAt, EndsAt = p.EndsAt, Switches = p.Switches, Visibility = p.Visibility,
            });
            if (p.Visibility != ProcessVisibilities.Public)
            {
                db.AddOutboxMessage(new PhaseVisibilityChanged(processId, DemoIds.Phase(demo.Number, i + 1), p.Visibility, now));
            }
        }
        for (var i = 0; i < demo.Fields.Length; i++)
        {
            db.FieldsOfAction.Add(new FieldOfAction
            {
                Id = DemoIds.Field(demo.Number, i + 1), ProcessId = processId, Title = demo.Fields[i].Title,
                Description = demo.Fields[i].Description, Position = i + 1,
            });
        }
        for (var i = 0; i < demo.Themes.Length; i++)
        {
            db.Themes.Add(new CrossCuttingTheme
            {
                Id = DemoIds.Theme(demo.Number, i + 1), ProcessId = processId, Title = demo.Themes[i].Title,
                Description = demo.Themes[i].Description, Position = i + 1,
            });
        }
        await db.SaveChangesAsync(ct);

        // Official content while the process is a draft, then publish: one code path for ProcessPublished/PhaseStarted/ItemPublished.
        var catalog = await ProcessCatalog.LoadAsync(db, process, ct);
        var parentsFirst = demo.Items.OrderBy(i => i.Kind switch { ItemKinds.Vision => 0, ItemKinds.GuidingGoal => 1, _ => 2 }).ThenBy(i => i.Number);
        var offset = 0;
        foreach (var item in parentsFirst)
        {
            var draft = new ItemDraft(item.Kind, item.Title, item.Description,
                item.Fields.Select(f => DemoIds.Field(demo.Number, f)).ToList(),
                (item.Themes ?? []).Select(t => DemoIds.Theme(demo.Number, t)).ToList(),
                item.District, item.Parent is { } parent ? DemoIds.Item(demo.Number, parent) : null, item.Priority, item.Cost, item.At);
            Ensure(ItemRules.Check(catalog, draft), demo, item.Number);
            EnsureInCity(item.At, demo, item.Number);
            // Distinct creation times keep "newest first" stable and in document order.
            db.Items.Add(ItemRules.Create(catalog, draft, official: true, DemoIds.Staff, null, demo.ItemsCreatedAt.AddMinutes(offset++),
                DemoIds.Item(demo.Number, item.Number)));
        }
        await db.SaveChangesAsync(ct);
        if (await ProcessLifecycle.PublishAsync(db, processId, clock, ct) != LifecycleOutcome.Done)
        {
            throw new InvalidOperationException($"Demo process {demo.Number} could not be published.");
        }

        db.ChangeTracker.Clear();
        process = await db.Processes.AsNoTracking().SingleAsync(p => p.Id == processId, ct);
        catalog = await ProcessCatalog.LoadAsync(db, process, ct);
        foreach (var idea in demo.Ideas ?? [])
        {
            var draft = new ItemDraft(ItemKinds.CitizenIdea, idea.Title, idea.Description,
                idea.Fields.Select(f => DemoIds.Field(demo.Number, f)).ToList(), [], idea.District, null, null, null, idea.At);
            Ensure(ItemRules.Check(catalog, draft), demo, idea.Number);
            EnsureInCity(idea.At, demo, idea.Number);
            var created = ItemRules.Create(catalog, draft, official: false, idea.AuthorId, idea.AuthorName, clock.GetUtcNow(),
                DemoIds.Item(demo.Number, idea.Number));
            db.Items.Add(created);
            ItemRules.Publish(db, created, clock.GetUtcNow());
            if (idea.Status is not null)
            {
                ItemRules.SetStatus(db, catalog, created, idea.Status, idea.Answer, null, clock.GetUtcNow());
            }
        }
        await db.SaveChangesAsync(ct);

        foreach (var progress in (demo.Progress ?? []).OrderBy(p => p.At))
        {
            var measure = await ItemsApi.LoadAsync(db, DemoIds.Item(demo.Number, progress.Item), tracking: true, ct)
                ?? throw new InvalidOperationException($"Demo monitoring refers to unknown item {progress.Item}.");
            var request = new MonitoringRequest(progress.Status, progress.Progress, progress.Office, progress.Milestones, progress.Note);
            if (MonitoringRules.Check(measure, request).Count > 0)
            {
                throw new InvalidOperationException($"Demo monitoring of item {progress.Item} is invalid.");
            }
            MonitoringRules.Apply(db, measure, request, DemoIds.Staff, progress.At);
            await db.SaveChangesAsync(ct);
        }

        // Past news, as staff wrote them then; nobody is notified of them today.
        var markdown = new NewsMarkdown();
        foreach (var news in demo.News ?? [])
        {
            if (NewsApi.Validate(new NewsPostRequest(news.Title, news.Body), out var title, out var body) is not null)
            {
                throw new InvalidOperationException($"Demo news '{news.Title}' of process {demo.Number} is invalid.");
            }
            db.NewsPosts.Add(NewsApi.NewRow(processId, title, body, markdown, DemoIds.Staff, news.At));
        }
        await db.SaveChangesAsync(ct);

        var events = demo.Events ?? [];
        for (var i = 0; i < events.Length; i++)
        {
            var e = events[i];
            var request = new ProcessEventRequest(e.Title, e.StartsAt, e.EndsAt, e.Description, e.Place, e.OnlineUrl,
                e.Phase is { } phase ? DemoIds.Phase(demo.Number, phase) : null, null, e.Registration || e.Capacity is not null, e.Capacity,
                e.At, e.District);
            EnsureInCity(e.At, demo, i + 1);
            if (EventsApi.Check(request) is { Count: > 0 } errors)
            {
                throw new InvalidOperationException(
                    $"Demo event '{e.Title}' of process {demo.Number} is invalid: {string.Join("; ", errors.Select(x => $"{x.Field}: {x.Message}"))}");
            }
            var row = new EventRow
            {
                Id = DemoIds.Event(demo.Number, i + 1), ProcessId = processId, Title = "", Description = "", DescriptionHtml = "", CreatedAt = now,
                Minutes = e.Minutes, MinutesHtml = e.Minutes is null ? null : markdown.ToHtml(e.Minutes),
            };
            EventsApi.Apply(row, request, markdown);
            db.Events.Add(row);
            db.AddOutboxMessage(EventsApi.Scheduled(row, now));
        }
        await db.SaveChangesAsync(ct);
    }

    private static void EnsureInCity(GeoPoint? at, DemoProcess demo, int number)
    {
        if (at is not null && !CityAreas.Contains(CityAreas.Demo[demo.City], at))
        {
            throw new InvalidOperationException($"Demo location {number} of process {demo.Number} lies outside {demo.City}.");
        }
    }

    private static void Ensure(List<(string Field, string Message)> errors, DemoProcess demo, int number)
    {
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(
                $"Demo item {number} of process {demo.Number} is invalid: {string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))}");
        }
    }
}
