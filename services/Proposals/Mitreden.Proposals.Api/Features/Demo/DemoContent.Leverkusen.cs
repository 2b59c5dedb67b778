using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using static Mitreden.Proposals.Api.Features.Demo.DemoTime;

namespace Mitreden.Proposals.Api.Features.Demo;

/// <summary>
/// Leverkusen 2040+ „Zusammen. Zukunft. Entwickeln.“: Stadtcheck, Auftakt (29.06.2024), Arbeitsgruppe, Zukunftswerkstatt
/// mit Szenarien, Zielkonferenz, Online-Beteiligung (running now, …026), Endpräsentation. Scenarios are items …020001–…020004
/// (the demo ranking ballot).
/// </summary>
internal static partial class DemoContent
{
    public static DemoProcess Leverkusen(DateTimeOffset today)
    {
        var running = (Start: today.AddDays(-1), End: today.AddDays(60));
        const int land = 1, economy = 2, climate = 3, mobility = 4, society = 5;
        const int technology = 1, demography = 2;
        const int vision = 5, goalLand = 6, goalClimate = 7, goalEconomy = 8, goalSociety = 9;
        return new DemoProcess(2,
            "Leverkusen 2040+ – Zusammen. Zukunft. Entwickeln.",
            "Mit „Leverkusen 2040+“ schafft die Stadt Leverkusen eine breit getragene strategische Grundlage für die integrierte " +
            "Entwicklung der nächsten 20 Jahre. Bisher gibt es keine Gesamtstrategie, wie und wohin sich Leverkusen entwickeln " +
            "möchte. Im Dialog zwischen Verwaltung, Politik, städtischen Institutionen sowie Bürgerinnen und Bürgern werden " +
            "Zielkonflikte erkannt, unterschiedliche Interessen übereinandergelegt und ein Konsens gebildet. Kern ist die Arbeit " +
            "mit Szenarien, die mögliche Entwicklungsrichtungen Leverkusens aufzeigen. In der Online-Beteiligung werden die Ziele " +
            "und Maßnahmen aus dem Zielkatalog geteilt und abgestimmt.",
            "Leverkusen", new DateOnly(2024, 3, 1), null,
            Clamp(running.Start,
            [
                new("Bestandsaufnahme: Stadtcheck", PhaseKinds.Stocktaking, Day(2024, 3, 1), Day(2024, 6, 29), Off,
                    "Ein Stadtcheck wird als gemeinsame Wissensgrundlage für alle Beteiligten erstellt. Er dient als Einstieg in " +
                    "die Diskussionen und zur Erarbeitung von Zielkonflikten."),
                new("Öffentliche Auftaktveranstaltung", PhaseKinds.Kickoff, Day(2024, 6, 29, 10), Day(2024, 6, 29, 16), Off,
                    "Am 29.06.2024 in der Rathausgalerie: Informationen zum Projekt, Gespräche mit den Planerinnen und Planern, " +
                    "eigene Ideen einbringen. Rahmenparameter und der Flächenverbrauch werden dargestellt."),
                new("Arbeitsgruppe mit den Fachbereichen", PhaseKinds.Workshop, Day(2024, 7, 1), Day(2025, 3, 1), Off,
                    "Mehrere Workshops mit den Fachbereichen der Stadt bündeln das lokale Fachwissen: Ideen erarbeiten, " +
                    "Zwischenstände diskutieren, Ergebnisse rückkoppeln und schärfen."),
                new("Zukunftswerkstatt: Szenarien", PhaseKinds.FutureWorkshop, Day(2025, 3, 1), Day(2025, 7, 1), Off,
                    "Die Szenarien werden zur Diskussion gestellt. Es geht nicht darum, ein Lieblingsszenario zu finden, sondern aus " +
                    "allen zu lernen: Welche Chancen sollten genutzt, welchen Risiken begegnet werden?"),
                new("Zielkonferenz", PhaseKinds.GoalsConference, Day(2025, 7, 1), Day(2025, 10, 1), Off,
                    "Der Zielkatalog wird mit der Stadtgesellschaft diskutiert, Handlungsempfehlungen werden abgeleitet und " +
                    "umsetzbare Maßnahmen definiert."),
            ]).Concat(
            [
                new DemoPhase("Online-Beteiligung", PhaseKinds.OnlineParticipation, running.Start, running.End,
                    new PhaseSwitches(Proposing: false, Commenting: true, PreModeration: false, Voting: true, ResultsVisible: true),
                    "Die Ziele und Maßnahmen aus dem Zielkatalog werden öffentlich geteilt: Kommentieren Sie sie und bringen Sie " +
                    "die Szenarien in eine Reihenfolge. Die Zwischenstände sind live sichtbar."),
                new DemoPhase("Endpräsentation", PhaseKinds.FinalPresentation, running.End.AddDays(7), running.End.AddDays(7).AddHours(4), Off,
                    "Die Ergebnisse werden öffentlich vorgestellt und mit Politik und Stadtgesellschaft diskutiert."),
            ]).ToArray(),
            [
                ("Wohnen und Flächenentwicklung", "Wo und wie Leverkusen wächst – und wie viel Fläche es dafür braucht."),
                ("Wirtschaft und Arbeit", "Der Wirtschaftsstandort im Wandel, von der Chemie bis zu neuen Branchen."),
                ("Klima und Umwelt", "Klimaschutz, Klimaanpassung, Grün- und Freiräume am Rhein und an der Wupper."),
                ("Mobilität", "Wege innerhalb der Stadt und in die Region."),
                ("Gesellschaft und Stadtteile", "Zusammenhalt, Bildung und lebendige Stadtteilzentren."),
            ],
            [
                ("Technologie und Digitalisierung", "Umfeldentwicklung aus dem Systembild, die in allen Szenarien wirkt."),
                ("Demografischer Wandel", "Wer 2040 in Leverkusen lebt – und was das für alle Handlungsfelder bedeutet."),
            ],
            [
                new(1, ItemKinds.Scenario, "Szenario A: Kompakte Stadt",
                    "Leverkusen wächst vor allem nach innen: dichtere Quartiere an den Bahnhöfen, Brachflächen werden neu genutzt, " +
                    "kaum neue Flächen am Stadtrand. Chance: geringer Flächenverbrauch und kurze Wege. Risiko: Konkurrenz um " +
                    "Freiflächen in den Quartieren.",
                    [land, mobility], [demography]),
                new(2, ItemKinds.Scenario, "Szenario B: Grüne Stadt am Rhein",
                    "Klimaanpassung und Freiraum haben Vorrang: Frischluftschneisen, Entsiegelung, Grün an Rhein und Wupper. " +
                    "Chance: hohe Lebensqualität und Schutz vor Hitze. Risiko: weniger Flächen für Wohnen und Gewerbe.",
                    [climate, land], [technology]),
                new(3, ItemKinds.Scenario, "Szenario C: Wirtschafts- und Wissensstandort",
                    "Die Transformation der Industrie wird aktiv gestaltet: neue Gewerbe- und Forschungsflächen, Kooperation mit " +
                    "Hochschulen. Chance: zukunftsfähige Arbeitsplätze. Risiko: Zielkonflikte mit Freiraum und Wohnen.",
                    [economy], [technology]),
                new(4, ItemKinds.Scenario, "Szenario D: Stadt der Stadtteile",
                    "Die Stadtteilzentren Wiesdorf, Opladen und Schlebusch werden gezielt gestärkt, Versorgung und Begegnung " +
                    "finden wohnortnah statt. Chance: Identität und Zusammenhalt. Risiko: Kräfte verteilen sich, die Gesamtstadt " +
                    "wird weniger sichtbar.",
                    [society, land], [demography]),
                new(vision, ItemKinds.Vision, "Leverkusen 2040+: Zusammen. Zukunft. Entwickeln.",
                    "Ein Konzept für die Zukunft, mit dem sich alle Beteiligten identifizieren, damit Projekte künftig schneller und " +
                    "effizienter umgesetzt werden können.",
                    []),
                new(goalLand, ItemKinds.GuidingGoal, "Flächen sparsam und klug nutzen",
                    "Innenentwicklung vor Außenentwicklung; Flächenverbrauch und Zielkonflikte werden offen abgewogen.",
                    [land], Parent: vision),
                new(goalClimate, ItemKinds.GuidingGoal, "Klimaneutral und klimaangepasst bis 2040",
                    "Leverkusen senkt seine Emissionen und schützt sich vor Hitze und Starkregen.", [climate], Parent: vision),
                new(goalEconomy, ItemKinds.GuidingGoal, "Eine starke Wirtschaft im Wandel",
                    "Bestehende Unternehmen halten, neue Branchen gewinnen, Arbeitsplätze sichern.", [economy], Parent: vision),
                new(goalSociety, ItemKinds.GuidingGoal, "Zusammenhalt in allen Stadtteilen",
                    "Gute Nachbarschaften, Bildung und Teilhabe für alle Generationen.", [society], Parent: vision),
                new(10, ItemKinds.Measure, "Flächenkreislauf: Brachflächenkataster und Aktivierungsprogramm",
                    "Alle Brach- und Leerflächen werden erfasst und gezielt für Wohnen und Gewerbe aktiviert.",
                    [land], null, null, goalLand, Priority.High, 250_000m),
                new(11, ItemKinds.Measure, "Hitzeaktionsplan mit kühlen Orten in jedem Stadtteil",
                    "Schattige Plätze, Trinkwasser und geöffnete kühle Räume für heiße Tage, zuerst in den dicht bebauten Quartieren.",
                    [climate, society], null, "mitte", goalClimate, Priority.High, 400_000m, At: new(51.0303, 6.9858)),
                new(12, ItemKinds.Measure, "Entsiegelungsprogramm für Schulhöfe und Plätze",
                    "Asphalt raus, Grün rein: Schulhöfe und Plätze werden entsiegelt und bepflanzt.",
                    [climate], null, null, goalClimate, Priority.Medium, 1_200_000m),
                new(13, ItemKinds.Measure, "Innovationsquartier für neue Industrien",
                    "Flächen und ein Gründerzentrum für Unternehmen aus Chemie, Kreislaufwirtschaft und Energie.",
                    [economy], [technology], null, goalEconomy, Priority.Medium, 5_000_000m),
                new(14, ItemKinds.Measure, "Stadtteilzentren stärken: Zentrenmanagement für Wiesdorf, Opladen und Schlebusch",
                    "Ein Zentrenmanagement bündelt Handel, Kultur und Veranstaltungen in den drei Stadtteilzentren.",
                    [society, economy], null, "nord", goalSociety, Priority.High, 600_000m, At: new(51.0660, 7.0070)),
                new(15, ItemKinds.Measure, "Radschnellverbindung zwischen Opladen und Wiesdorf",
                    "Eine sichere, schnelle Radroute verbindet die Stadtteilzentren und die Bahnhöfe.",
                    [mobility], null, null, goalClimate, Priority.Medium, 3_500_000m, At: new(51.0480, 6.9960)),
            ],
            Day(2025, 10, 1),
            News:
            [
                new(Day(2024, 7, 3, 12), "Rückblick auf die Auftaktveranstaltung",
                    "Am **29. Juni 2024** haben sich in der Rathausgalerie Bürgerinnen und Bürger, Fachöffentlichkeit und Politik " +
                    "über „Leverkusen 2040+“ informiert und mit den Planerinnen und Planern gesprochen.\n\n" +
                    "Was als Nächstes kommt:\n\n" +
                    "- Workshops mit den Fachbereichen der Stadt\n" +
                    "- eine Zukunftswerkstatt, in der Szenarien entstehen\n" +
                    "- die Online-Beteiligung zum Zielkatalog"),
                new(Day(2025, 10, 1, 9), "Die Online-Beteiligung zum Zielkatalog beginnt",
                    "Die Ziele und Maßnahmen aus dem Zielkatalog stehen jetzt online. Kommentieren Sie sie, bringen Sie eigene " +
                    "Ideen ein und stimmen Sie ab, welche Maßnahmen zuerst kommen sollen.\n\n" +
                    "Die Ergebnisse fließen in die **Zielkonferenz** und die Abschlusspräsentation ein."),
            ],
            Events:
            [
                // The seed names the day and place of the kick-off only; the later dates lie within their phases.
                new("Öffentliche Auftaktveranstaltung „Leverkusen 2040+“",
                    "Informationen zum Projekt, Gespräche mit den Planerinnen und Planern und Raum für eigene Ideen. " +
                    "Rahmenparameter und der Flächenverbrauch werden dargestellt.",
                    Day(2024, 6, 29, 10), Day(2024, 6, 29, 16), "Rathausgalerie Leverkusen", Phase: 2, At: new(51.0317, 6.9866), District: "mitte",
                    Minutes: "Bürgerinnen und Bürger, Fachöffentlichkeit und Politik haben sich über das Projekt informiert, mit den " +
                        "Planerinnen und Planern gesprochen und ihre Ideen eingebracht.\n\n" +
                        "- Der Stadtcheck wurde als gemeinsame Wissensgrundlage vorgestellt.\n" +
                        "- Die Ideen fließen in die Workshops mit den Fachbereichen ein."),
                new("Zukunftswerkstatt: Szenarien für Leverkusen",
                    "Die Szenarien, die unterschiedliche Entwicklungsmöglichkeiten Leverkusens darstellen, werden zur Diskussion " +
                    "gestellt: Was sind die Vor- und Nachteile der strategischen Ansätze? Welche Chancen sollten genutzt, welchen " +
                    "Risiken begegnet werden?",
                    Day(2025, 5, 17, 10), Day(2025, 5, 17, 15), "Leverkusen", Phase: 4),
                new("Zielkonferenz",
                    "Der Zielkatalog wird gemeinsam mit der Stadtgesellschaft diskutiert, konkrete Handlungsempfehlungen werden " +
                    "abgeleitet und umsetzbare Maßnahmen definiert.",
                    Day(2025, 9, 13, 10), Day(2025, 9, 13, 16), "Leverkusen", Phase: 5),
                new("Online-Sprechstunde zur Online-Beteiligung",
                    "Fragen zur Online-Beteiligung, zum Zielkatalog und zur Abstimmung über die Szenarien – das Projektteam " +
                    "antwortet live. Die Teilnahme ist begrenzt; wer keinen Platz bekommt, kommt auf die Warteliste.",
                    today.AddDays(7).AddHours(17), today.AddDays(7).AddHours(18).AddMinutes(30), null,
                    OnlineUrl: "https://www.leverkusen.de/", Phase: 6, Capacity: 30),
                new("Endpräsentation der Ergebnisse",
                    "Die Ergebnisse von „Leverkusen 2040+“ werden öffentlich vorgestellt und mit Politik und Stadtgesellschaft diskutiert.",
                    running.End.AddDays(7), running.End.AddDays(7).AddHours(4), "Leverkusen", Phase: 7, Capacity: 200),
            ]);
    }

    /// <summary>Historic phases must end before the running one starts, whatever day the demo is seeded on.</summary>
    private static IEnumerable<DemoPhase> Clamp(DateTimeOffset limit, DemoPhase[] phases) =>
        phases.Select(p => p.EndsAt <= limit ? p : p with
        {
            StartsAt = p.StartsAt < limit.AddDays(-1) ? p.StartsAt : limit.AddHours(-2),
            EndsAt = limit,
        });
}
