using Microsoft.EntityFrameworkCore;
using Mitreden.ServiceDefaults.Messaging;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Contracts;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Features.Demo;

/// <summary>
/// With Demo:Seed=true and no ballots yet: the two demo ballots of DEMO_IDS.md, with the fixed ids and the item ids
/// Proposals seeds (titles copied here, because Proposals' seed events are published before our queues exist).
/// </summary>
public sealed class DemoSeeder(IServiceScopeFactory scopes, IConfiguration configuration, BallotCache cache, TimeProvider time,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public static readonly Guid LuenenBallot = Guid.Parse("55555555-0000-0000-0000-000000000001");
    public static readonly Guid LeverkusenBallot = Guid.Parse("55555555-0000-0000-0000-000000000002");
    private static readonly Guid StaffUser = Guid.Parse("11111111-0000-0000-0000-000000000003");

    private static readonly string[] LuenenMeasures =
    [
        "Digitales Parkleitsystem für die Innenstadt", "Mobilstationen an Bahnhöfen und Knotenpunkten",
        "Echtzeit-Fahrgastinformation an Bushaltestellen", "Digitale Radverkehrszählung für die Radwegeplanung",
        "Smarte Ampelschaltung mit Vorrang für Bus und Rad", "Sensornetz für Klima-, Luft- und Lärmdaten",
        "Smarte Bewässerung von Stadtbäumen", "Solarpotenzialkataster mit Online-Beratung",
        "Energiemonitoring für städtische Gebäude", "Starkregen- und Hochwasserwarnsystem an der Lippe",
        "Digitaler Zwilling der Stadt Lünen", "Lokaler Online-Marktplatz für den Einzelhandel",
        "Passantenfrequenzmessung in der Innenstadt", "Digitales Leerstands- und Flächenmanagement",
        "Coworking-Space und Gründungszentrum in der Innenstadt", "Digitale Bürgerdienste im Online-Rathaus",
        "Digitallotsinnen und -lotsen für Seniorinnen und Senioren", "Kostenloses WLAN an zentralen Plätzen",
        "Beteiligungsplattform für Bürgerprojekte", "Digitale Lernorte in Stadtbibliothek und Schulen",
    ];

    private static readonly string[] LeverkusenScenarios =
    [
        "Szenario A: Kompakte Stadt", "Szenario B: Grüne Stadt am Rhein",
        "Szenario C: Wirtschafts- und Wissensstandort", "Szenario D: Stadt der Stadtteile",
    ];

    private static Guid Item(int process, int number) => Guid.Parse($"44444444-0000-0000-0000-0000000{process}{number:D4}");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false))
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VotingDb>();
        if (await db.Ballots.AnyAsync(cancellationToken))
        {
            return;
        }
        var now = time.GetUtcNow();
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var (opens, closes) = (today.AddDays(-1), today.AddDays(60));

        var luenen = Ballot(LuenenBallot, Guid.Parse("22222222-0000-0000-0000-000000000005"), Guid.Parse("33333333-0000-0000-0000-000000000053"),
            "Welche 15 Maßnahmen sollen zuerst umgesetzt werden?",
            "Wählen Sie bis zu 15 der 20 Projektmaßnahmen des Smart City-Strategiekonzepts, die zuerst umgesetzt werden sollen. " +
            "Das Ergebnis wird nach dem Ende der Abstimmung veröffentlicht und dem Rat vorgestellt.",
            VotingMethod.Approval, ResultVisibility.AfterClose, LuenenMeasures.Select((t, i) => (Item(5, i + 1), t)), now, opens, closes);
        luenen.MinSelections = 1;
        luenen.MaxSelections = 15;

        var leverkusen = Ballot(LeverkusenBallot, Guid.Parse("22222222-0000-0000-0000-000000000002"), Guid.Parse("33333333-0000-0000-0000-000000000026"),
            "Welches Szenario soll „Leverkusen 2040+“ am stärksten prägen?",
            "Bringen Sie die vier Szenarien der Zukunftswerkstatt in Ihre Reihenfolge. Ausgewertet wird nach Borda; " +
            "angezeigt werden auch der Condorcet-Sieger und die Schulze-Reihenfolge. Die Zwischenstände sind live sichtbar.",
            VotingMethod.Ranking, ResultVisibility.Live, LeverkusenScenarios.Select((t, i) => (Item(2, i + 1), t)), now, opens, closes);

        db.Ballots.AddRange(luenen, leverkusen);
        foreach (var ballot in new[] { luenen, leverkusen })
        {
            db.AddOutboxMessage(new BallotOpened(ballot.Id, ballot.ProcessId, ballot.PhaseId, ballot.Title,
                BallotResults.Kebab(ballot.Method.ToString()), opens, closes));
        }
        await db.SaveChangesAsync(cancellationToken);
        await cache.ReloadAllAsync(cancellationToken);
        logger.LogInformation("Demo ballots seeded");
    }

    private static Ballot Ballot(Guid id, Guid process, Guid phase, string title, string description, VotingMethod method,
        ResultVisibility visibility, IEnumerable<(Guid Item, string Title)> options, DateTimeOffset now, DateTimeOffset opens, DateTimeOffset closes) => new()
    {
        Id = id, ProcessId = process, PhaseId = phase, Title = title, Description = description, Method = method,
        Eligibility = EligibilityKind.Verified, Visibility = visibility, OpensAt = opens, ClosesAt = closes,
        Status = BallotStatus.Published, CreatedAt = now, UpdatedAt = now, CreatedBy = StaffUser,
        Options = options.Select((o, i) => new BallotOption { BallotId = id, OptionId = o.Item, ItemId = o.Item, Title = o.Title, Position = i + 1 }).ToList(),
    };

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
