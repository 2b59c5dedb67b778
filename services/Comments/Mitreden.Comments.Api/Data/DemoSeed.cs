using Microsoft.EntityFrameworkCore;
using Mitreden.Comments.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using Npgsql;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Data;

/// <summary>
/// With Demo:Seed=true: our copy of Lünen's running online phase and of the commented items (so commenting
/// works before Proposals' events arrive; those events overwrite the copy, since any real event is newer than
/// the epoch we stamp it with), and, when there are no comments yet, a few German comments by the demo citizen.
/// The comments go out as CommentPosted through the outbox like any other, so Moderation knows them.
/// Ids are fixed (see /work/DEMO_IDS.md; comments use 66666666-…).
/// </summary>
internal sealed class DemoSeed(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<DemoSeed> logger)
    : IHostedService
{
    public static readonly Guid LuenenProcess = Guid.Parse("22222222-0000-0000-0000-000000000005");
    public static readonly Guid LuenenOnlinePhase = Guid.Parse("33333333-0000-0000-0000-000000000053");
    public static readonly Guid Citizen = Guid.Parse("11111111-0000-0000-0000-000000000001");
    public static readonly Guid Moderator = Guid.Parse("11111111-0000-0000-0000-000000000002");
    public static readonly Guid Staff = Guid.Parse("11111111-0000-0000-0000-000000000003");
    public const string CitizenName = "Bürgerin Demo";

    public static Guid LuenenItem(int index) => Guid.Parse($"44444444-0000-0000-0000-0000000{5}{index:0000}");
    private static Guid CommentId(int n) => Guid.Parse($"66666666-0000-0000-0000-{n:000000000000}");

    // Each comment sits under the Lünen measure it talks about: 16 "Digitale Bürgerdienste im Online-Rathaus",
    // 1 "Digitales Parkleitsystem für die Innenstadt", 6 "Sensornetz für Klima-, Luft- und Lärmdaten".
    private static readonly (int N, int Item, int? Parent, string Stance, int AgeHours, string Text)[] Comments =
    [
        (1, 16, null, Stances.Pro, 70, "Ein digitales Bürgerportal mit allen Anträgen an einem Ort würde mir viele Wege ins Rathaus ersparen. Wichtig wäre, dass es auch auf dem Handy gut funktioniert."),
        (2, 16, 1, Stances.Neutral, 50, "Gute Idee – bitte aber auch an ältere Menschen denken: Eine Sprechstunde in der Stadtbibliothek, in der man beim Ausfüllen hilft, gehört für mich dazu."),
        (3, 1, null, Stances.Contra, 48, "Sensoren für freie Parkplätze klingen modern, aber ich würde das Geld lieber in sichere Radwege zwischen Brambauer und der Innenstadt stecken."),
        (4, 1, null, Stances.Pro, 30, "Wenn die Parkplatzsuche kürzer wird, fahren weniger Autos im Kreis – das hilft auch der Luft in der Innenstadt. Die Daten sollten offen veröffentlicht werden."),
        (5, 6, null, Stances.Pro, 20, "Ein Klimadashboard mit den Messwerten aus allen Stadtteilen fände ich spannend. Dann sieht man, ob die Maßnahmen aus dem Klimaschutzkonzept wirklich wirken."),
        (6, 6, 5, Stances.Neutral, 6, "Vielleicht können Schulen die Daten im Unterricht nutzen? So würden schon Kinder lernen, wie sich ihr Stadtteil verändert."),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false))
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CommentsDb>();
            await SeedAsync(db, cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            // Demo data is a convenience; a service that cannot seed still serves.
            logger.LogWarning(ex, "Demo seed skipped");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal async Task SeedAsync(CommentsDb db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var seeded = await db.InTransactionAsync(async () =>
        {
            if (!await db.Phases.AnyAsync(p => p.PhaseId == LuenenOnlinePhase, ct))
            {
                db.Phases.Add(new PhaseCopy
                {
                    PhaseId = LuenenOnlinePhase,
                    ProcessId = LuenenProcess,
                    Commenting = true,
                    PreModeration = false,
                    SwitchesAsOf = DateTimeOffset.UnixEpoch,
                });
            }
            var itemIds = Comments.Select(c => c.Item).Distinct().Select(LuenenItem).ToList();
            var known = await db.Items.Where(i => itemIds.Contains(i.ItemId)).Select(i => i.ItemId).ToListAsync(ct);
            db.Items.AddRange(itemIds.Except(known).Select(id => new ItemCopy { ItemId = id, ProcessId = LuenenProcess }));
            await db.SaveChangesAsync(ct);

            if (await db.Comments.AnyAsync(ct))
            {
                return false;
            }
            foreach (var (n, item, parent, stance, ageHours, text) in Comments)
            {
                var createdAt = new DateTimeOffset((now - TimeSpan.FromHours(ageHours)).UtcTicks / 10 * 10, TimeSpan.Zero);
                var comment = new Comment
                {
                    Id = CommentId(n),
                    ItemId = LuenenItem(item),
                    ProcessId = LuenenProcess,
                    ParentId = parent is { } p ? CommentId(p) : null,
                    AuthorId = Citizen,
                    AuthorName = CitizenName,
                    Text = text,
                    Stance = stance,
                    CreatedAt = createdAt,
                    PublishedAt = createdAt,
                    Status = CommentStatus.Published,
                };
                db.Comments.Add(comment);
                db.AddOutboxMessage(new CommentPosted(comment.Id, comment.ItemId, comment.ProcessId, comment.ParentId,
                    Citizen, text, stance, false, createdAt));
            }
            // Up-votes by the demo moderator and staff, with the counters matching the rows.
            foreach (var (n, voters) in new[] { (1, new[] { Moderator, Staff }), (4, new[] { Staff }), (5, new[] { Moderator }) })
            {
                foreach (var voter in voters)
                {
                    db.Upvotes.Add(new CommentUpvote { CommentId = CommentId(n), UserId = voter, CreatedAt = now });
                }
                db.Comments.Local.Single(c => c.Id == CommentId(n)).Supports = voters.Length;
            }
            await db.SaveChangesAsync(ct);
            await db.Items.Where(i => itemIds.Contains(i.ItemId)).ExecuteUpdateAsync(s => s.SetProperty(
                i => i.CommentCount, i => db.Comments.Count(c => c.ItemId == i.ItemId && c.PublishedAt != null)), ct);
            return true;
        }, ct);
        if (seeded)
        {
            logger.LogInformation("Demo comments seeded");
        }
    }
}
