using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Contracts;
using static Mitreden.Proposals.Api.Features.Demo.DemoTime;

namespace Mitreden.Proposals.Api.Features.Demo;

/// <summary>
/// Lünen: Smart City-Strategiekonzept (Verwaltungsvorlage VL-40/2024). Leitbild, vier Handlungsfelder, drei
/// Querschnittsthemen, Projektmaßnahmen ohne Priorisierung; running online phase (…053) for the "choose 15" ballot.
/// </summary>
internal static partial class DemoContent
{
    public static DemoProcess Luenen(DateTimeOffset today)
    {
        var running = (Start: today.AddDays(-1), End: today.AddDays(60));
        const int mobility = 1, climate = 2, economy = 3, society = 4;
        const int infrastructure = 1, data = 2, cooperation = 3;
        const int vision = 21, goalMobility = 22, goalClimate = 23, goalEconomy = 24, goalSociety = 25;
        return new DemoProcess(5,
            "Smart City Lünen – Strategiekonzept",
            "Das Smart City-Strategiekonzept zeigt den Weg für eine zukunftsorientierte, innovative und nachhaltige digitale " +
            "Stadtentwicklung in Lünen. Es ist Teil von Lünens Beitrag zu den Zielen der Agenda 2030 und eng mit dem " +
            "Klimaschutzkonzept und dem integrierten Mobilitätskonzept verknüpft. In sieben Workshops von Mai bis November 2023 " +
            "haben über 100 Akteur:innen aus Politik, Verwaltung, Wirtschaft und Zivilgesellschaft das Leitbild, vier " +
            "Handlungsfelder, drei Querschnittsthemen und die Projektmaßnahmen erarbeitet. Jetzt sind Sie gefragt: Welche 15 " +
            "Maßnahmen sollen zuerst umgesetzt werden?",
            "Lünen", new DateOnly(2023, 5, 4), null,
            [
                new("Auftaktworkshop: Leitbild und Bedarfe", PhaseKinds.Kickoff, Day(2023, 5, 4, 9), Day(2023, 5, 4, 17), Off,
                    "Über 80 Teilnehmer:innen entwickeln das Leitbild „Smart für ein gutes Leben aller Menschen in Lünen“ und " +
                    "definieren die Bedarfe und Potenziale der Smart City Lünen."),
                new("Handlungsfeld-Workshops", PhaseKinds.Workshop, Day(2023, 5, 5), Day(2023, 12, 1), Off,
                    "In fünf themenbezogenen Workshops werden Projektmaßnahmen erarbeitet; Vertreter:innen der Ratsfraktionen " +
                    "bewerten sie anschließend."),
                new("Online-Beteiligung: Maßnahmen auswählen", PhaseKinds.OnlineParticipation, running.Start, running.End,
                    new PhaseSwitches(Proposing: true, Commenting: true, PreModeration: false, Voting: true, ResultsVisible: false),
                    "Kommentieren Sie die Projektmaßnahmen, bringen Sie eigene Ideen ein und wählen Sie die 15 Maßnahmen, " +
                    "die zuerst umgesetzt werden sollen. Das Ergebnis wird nach Ende der Abstimmung veröffentlicht."),
                new("Vorstellung der Ergebnisse im Rat", PhaseKinds.FinalPresentation, running.End, running.End.AddDays(14), Off,
                    "Die Ergebnisse der Online-Beteiligung werden dem Rat der Stadt Lünen vorgestellt."),
                new("Monitoring der Umsetzung", PhaseKinds.Monitoring, running.End.AddDays(14), running.End.AddDays(14 + 5 * 365),
                    Off with { ResultsVisible = true },
                    "Die Stadt berichtet jährlich über den Stand der Projektmaßnahmen."),
            ],
            [
                ("Smarte Mobilität", "Vernetzte, klimafreundliche und barrierearme Mobilität für alle."),
                ("Umwelt, Energie & Klima", "Daten und Technik für Klimaschutz, Klimaanpassung und Energieeffizienz."),
                ("Wirtschaft und Stadtentwicklung", "Eine lebendige Innenstadt, starker Handel und gute Bedingungen für Unternehmen."),
                ("Gesellschaft und Teilhabe", "Digitale Teilhabe für alle Generationen und einfache Wege ins Rathaus."),
            ],
            [
                ("Digitale Infrastruktur", "Glasfaser, Funknetze (z. B. LoRaWAN) und öffentliches WLAN als Grundlage aller Maßnahmen."),
                ("Services und Daten", "Offene Daten und digitale Dienste, die Bürger:innen und Verwaltung nutzen."),
                ("Kooperation und Beteiligung", "Zusammenarbeit mit Stadtwerken, Wirtschaft, Wohnungsbau und Zivilgesellschaft."),
            ],
            [
                // Measures first: the demo ballot "choose 15" uses items …050001–…050020.
                new(1, ItemKinds.Measure, "Digitales Parkleitsystem für die Innenstadt",
                    "Sensoren erfassen freie Stellplätze in Parkhäusern und am Straßenrand. Anzeigen an den Einfallstraßen und eine " +
                    "App führen direkt zum freien Platz – das verringert Parksuchverkehr, Lärm und Abgase.",
                    [mobility], [infrastructure, data], "mitte", goalMobility, Cost: 450_000m),
                new(2, ItemKinds.Measure, "Mobilstationen an Bahnhöfen und Knotenpunkten",
                    "Bus, Bahn, Leihräder, E-Lastenräder und Carsharing an einem Ort, mit einer gemeinsamen digitalen Buchung. " +
                    "Erste Standorte: Hauptbahnhof Lünen und Preußen.",
                    [mobility], [cooperation], null, goalMobility, Cost: 800_000m),
                new(3, ItemKinds.Measure, "Echtzeit-Fahrgastinformation an Bushaltestellen",
                    "Dynamische Anzeigen an stark genutzten Haltestellen zeigen die tatsächlichen Abfahrtszeiten, auch vorgelesen " +
                    "auf Knopfdruck für sehbehinderte Fahrgäste.",
                    [mobility], [data], null, goalMobility, Cost: 300_000m),
                new(4, ItemKinds.Measure, "Digitale Radverkehrszählung für die Radwegeplanung",
                    "Automatische Zählstellen an Hauptrouten liefern Daten, wo Radwege fehlen oder ausgebaut werden müssen. " +
                    "Die Zahlen werden als offene Daten veröffentlicht.",
                    [mobility], [data], null, goalMobility, Cost: 120_000m),
                new(5, ItemKinds.Measure, "Smarte Ampelschaltung mit Vorrang für Bus und Rad",
                    "Vernetzte Lichtsignalanlagen erkennen Busse und Radfahrende und schalten für sie früher auf Grün.",
                    [mobility], [infrastructure], null, goalMobility, Cost: 350_000m),
                new(6, ItemKinds.Measure, "Sensornetz für Klima-, Luft- und Lärmdaten",
                    "Ein stadtweites LoRaWAN-Funknetz mit Sensoren misst Temperatur, Luftqualität und Lärm. Die Daten helfen bei " +
                    "Hitzeschutz und Stadtplanung und sind für alle einsehbar.",
                    [climate], [infrastructure, data], null, goalClimate, Cost: 150_000m),
                new(7, ItemKinds.Measure, "Smarte Bewässerung von Stadtbäumen",
                    "Bodenfeuchtesensoren melden, wann junge Stadtbäume Wasser brauchen. So wird gezielt gegossen und Wasser gespart.",
                    [climate], [infrastructure], null, goalClimate, Cost: 80_000m),
                new(8, ItemKinds.Measure, "Solarpotenzialkataster mit Online-Beratung",
                    "Eine Karte zeigt für jedes Dach in Lünen, wie viel Solarstrom möglich ist – mit Wirtschaftlichkeitsrechner und " +
                    "Terminbuchung für die Energieberatung.",
                    [climate], [data, cooperation], null, goalClimate, Cost: 40_000m),
                new(9, ItemKinds.Measure, "Energiemonitoring für städtische Gebäude",
                    "Intelligente Zähler in Schulen, Kitas und Verwaltungsgebäuden machen Verbräuche sichtbar und zeigen, wo sich " +
                    "Sanierung zuerst lohnt.",
                    [climate], [data], null, goalClimate, Cost: 200_000m),
                new(10, ItemKinds.Measure, "Starkregen- und Hochwasserwarnsystem an der Lippe",
                    "Pegel- und Niederschlagssensoren an Lippe und Seseke warnen frühzeitig per App und Sirene vor Hochwasser und " +
                    "Starkregen.",
                    [climate], [infrastructure, data], null, goalClimate, Cost: 250_000m),
                new(11, ItemKinds.Measure, "Digitaler Zwilling der Stadt Lünen",
                    "Ein 3D-Stadtmodell verbindet Geodaten, Planungen und Sensordaten. Bauvorhaben lassen sich vorab anschaulich " +
                    "zeigen und mit der Öffentlichkeit besprechen.",
                    [economy], [data, cooperation], null, goalEconomy, Cost: 600_000m),
                new(12, ItemKinds.Measure, "Lokaler Online-Marktplatz für den Einzelhandel",
                    "Lüner Geschäfte zeigen ihr Sortiment gemeinsam online, mit Abholung im Laden oder Lieferung per Lastenrad.",
                    [economy], [data, cooperation], "mitte", goalEconomy, Cost: 90_000m),
                new(13, ItemKinds.Measure, "Passantenfrequenzmessung in der Innenstadt",
                    "Anonyme Laserzähler messen, wie viele Menschen die Fußgängerzone besuchen. Handel und Stadtmarketing planen " +
                    "Aktionen und Öffnungszeiten auf dieser Grundlage.",
                    [economy], [data], "mitte", goalEconomy, Cost: 60_000m),
                new(14, ItemKinds.Measure, "Digitales Leerstands- und Flächenmanagement",
                    "Eine Plattform bringt leerstehende Ladenlokale und Gewerbeflächen mit Gründer:innen und Zwischennutzungen zusammen.",
                    [economy], [data, cooperation], null, goalEconomy, Cost: 70_000m),
                new(15, ItemKinds.Measure, "Coworking-Space und Gründungszentrum in der Innenstadt",
                    "Flexible Arbeitsplätze, Werkstatt und Beratung für Start-ups und Pendler:innen in einem leerstehenden " +
                    "Geschäftshaus der Innenstadt.",
                    [economy], [cooperation], "mitte", goalEconomy, Cost: 500_000m),
                new(16, ItemKinds.Measure, "Digitale Bürgerdienste im Online-Rathaus",
                    "Die häufigsten Anträge – vom Anwohnerparkausweis bis zur Meldebescheinigung – werden vollständig online möglich.",
                    [society], [data], null, goalSociety, Cost: 400_000m),
                new(17, ItemKinds.Measure, "Digitallotsinnen und -lotsen für Seniorinnen und Senioren",
                    "Ehrenamtliche helfen in Sprechstunden in den Stadtteilen beim Umgang mit Smartphone, Online-Terminen und " +
                    "digitalen Bürgerdiensten.",
                    [society], [cooperation], null, goalSociety, Cost: 50_000m),
                new(18, ItemKinds.Measure, "Kostenloses WLAN an zentralen Plätzen",
                    "Öffentliches WLAN in der Fußgängerzone, an Bahnhöfen, im Seepark und in Stadtteilzentren.",
                    [society], [infrastructure], null, goalSociety, Cost: 180_000m),
                new(19, ItemKinds.Measure, "Beteiligungsplattform für Bürgerprojekte",
                    "Eine Online-Plattform, auf der Bürger:innen Ideen einbringen, diskutieren und über Projekte abstimmen können.",
                    [society], [cooperation, data], null, goalSociety, Cost: 60_000m),
                new(20, ItemKinds.Measure, "Digitale Lernorte in Stadtbibliothek und Schulen",
                    "Makerspaces mit 3D-Druckern, Programmierkursen und Medienbildung für Kinder, Jugendliche und Erwachsene.",
                    [society], [infrastructure, cooperation], "nord", goalSociety, Cost: 250_000m),
                new(vision, ItemKinds.Vision, "Smart für ein gutes Leben aller Menschen in Lünen",
                    "Leitbild der Smart City Lünen, entwickelt im Auftaktworkshop am 4. Mai 2023: Digitalisierung ist kein " +
                    "Selbstzweck, sondern soll das Leben aller Menschen in Lünen besser machen – klimafreundlich, gerecht und " +
                    "gemeinsam gestaltet.",
                    []),
                new(goalMobility, ItemKinds.GuidingGoal, "Mobilität in Lünen ist vernetzt, klimafreundlich und für alle zugänglich",
                    "Leitziel des Handlungsfelds Smarte Mobilität.", [mobility], Parent: vision),
                new(goalClimate, ItemKinds.GuidingGoal, "Digitale Lösungen helfen, Energie zu sparen und die Stadt an den Klimawandel anzupassen",
                    "Leitziel des Handlungsfelds Umwelt, Energie & Klima; zahlt auf das Klimaschutzkonzept der Stadt ein.", [climate],
                    Parent: vision),
                new(goalEconomy, ItemKinds.GuidingGoal, "Innenstadt und lokale Wirtschaft werden durch digitale Angebote gestärkt",
                    "Leitziel des Handlungsfelds Wirtschaft und Stadtentwicklung.", [economy], Parent: vision),
                new(goalSociety, ItemKinds.GuidingGoal, "Alle Menschen in Lünen können an der digitalen Stadt teilhaben",
                    "Leitziel des Handlungsfelds Gesellschaft und Teilhabe; erhöht die gesellschaftliche Teilhabe in Digitalisierung " +
                    "und Stadtentwicklung.", [society], Parent: vision),
            ],
            Day(2023, 11, 30),
            Ideas:
            [
                new(26, "Trinkbrunnen mit Füllstandsanzeige in der Innenstadt",
                    "An heißen Tagen fehlt in der Fußgängerzone Trinkwasser. Trinkbrunnen könnten per Sensor melden, ob sie " +
                    "funktionieren, und auf der Stadtkarte angezeigt werden.",
                    [climate], "mitte", DemoIds.Citizen, "Bürgerin Demo", "in-pruefung",
                    "Vielen Dank für die Idee! Wir prüfen gemeinsam mit den Stadtwerken, ob sich Trinkbrunnen an das geplante " +
                    "Sensornetz anschließen lassen.", At: new(51.6160, 7.5265)),
                new(27, "Sitzbänke mit Solar-Ladestation am Seepark",
                    "Bänke mit Solarmodul, an denen man Handy und E-Bike-Akku laden kann – gerne auch mit WLAN.",
                    [climate, society], "ost", DemoIds.Citizen, "Bürgerin Demo", At: new(51.6010, 7.5580)),
                new(28, "Bus auf Abruf für die Abendstunden",
                    "Abends fahren in den Außenbezirken kaum Busse. Ein Rufbus, den man per App bestellt, würde helfen.",
                    [mobility], "nord", Guid.Parse("11111111-0000-0000-0000-000000000101"), "Karl aus Brambauer", "angenommen",
                    "Die Idee fließt in die Maßnahme „Mobilstationen an Bahnhöfen und Knotenpunkten“ ein; ein Rufbus-Test wird " +
                    "mit der Verkehrsgesellschaft Kreis Unna besprochen."),
            ],
            Events:
            [
                new("Auftaktworkshop: Leitbild und Bedarfe",
                    "Gemeinsam das Leitbild der Smart City Lünen entwickeln und die Bedarfe und Potenziale der Stadt bestimmen.",
                    Day(2023, 5, 4, 9), Day(2023, 5, 4, 17), "Rathaus Lünen", Phase: 1, At: new(51.6146, 7.5283), District: "mitte",
                    Minutes: "Über 80 Teilnehmer:innen haben das Leitbild „Smart für ein gutes Leben aller Menschen in Lünen“ " +
                        "entwickelt und die Bedarfe und Potenziale definiert. Daraus wurden vier Handlungsfelder und drei " +
                        "Querschnittsthemen abgeleitet."),
            ]);
    }
}
