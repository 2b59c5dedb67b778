using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Monitoring;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;
using static Mitreden.Proposals.Api.Features.Demo.DemoTime;

namespace Mitreden.Proposals.Api.Features.Demo;

internal static partial class DemoContent
{
    public static IReadOnlyList<DemoProcess> All(DateTimeOffset today) =>
        [Bergkamen(), Leverkusen(today), Kaiserslautern(), Delmenhorst(), Luenen(today)];

    /// <summary>Bergkamen: Leitbild, verwaltungsinterne Standortbestimmung im Dezernat IV (Vorlage vom 27.02.2024).</summary>
    public static DemoProcess Bergkamen()
    {
        const int climate = 1, demography = 2, development = 3;
        const int vision = 1;
        return new DemoProcess(1,
            "Leitbild für die zukünftige Stadtentwicklung Bergkamens",
            "Bergkamen steht vor erheblichen Herausforderungen: den Folgen des Klimawandels, dem demografischen Wandel und lokalen " +
            "Problemlagen. Damit die Stadt ihnen frühzeitig und bedarfsgerecht begegnet, wird ihre langfristige Entwicklung in " +
            "einem Leitbild gesichert. Zunächst bestimmt das Dezernat für Bauen – Stadtentwicklung – Klimaschutz unter " +
            "Federführung des Stadtplanungsamts in einem halbjährigen Prozess die grundlegenden Inhalte, unterstützt von " +
            "externen Fachleuten. Danach kann die Leitbildentwicklung auf Gesamtverwaltung, Politik und Öffentlichkeit " +
            "ausgeweitet werden.",
            "Bergkamen", new DateOnly(2024, 3, 12), new DateOnly(2024, 11, 30),
            [
                new("Interviews mit Mitarbeiter*innen der Verwaltung", PhaseKinds.Stocktaking, Day(2024, 3, 13), Day(2024, 5, 1), Off,
                    "Aufbauend auf Recherchen werden Mitarbeiter*innen aus Dezernat IV und weiteren Fachämtern befragt."),
                // The two workshops are internal to the administration (Dezernat IV and the departments): staff only.
                new("Workshop 1: Zieldiskussion", PhaseKinds.Workshop, Day(2024, 5, 15, 9), Day(2024, 5, 15, 16), Off,
                    Visibility: ProcessVisibilities.Internal),
                new("Workshop 2: Vertiefung der Ergebnisse", PhaseKinds.Workshop, Day(2024, 6, 19, 9), Day(2024, 6, 19, 16), Off,
                    Visibility: ProcessVisibilities.Internal),
                new("Abschlussbericht und Vorstellung in den Gremien", PhaseKinds.FinalPresentation, Day(2024, 9, 1), Day(2024, 12, 1), Off,
                    "Die Ergebnisse aller Prozessschritte werden ausgewertet, in einem Abschlussbericht festgehalten und im Herbst " +
                    "den politischen Gremien vorgestellt."),
            ],
            [
                ("Klimaschutz und Klimafolgenanpassung", null),
                ("Demografischer Wandel", null),
                ("Stadtentwicklung und Strukturwandel", null),
            ],
            [],
            [
                new(vision, ItemKinds.Vision, "Bergkamen – zukunftsfest, klimaangepasst und lebenswert für alle Generationen",
                    "Arbeitsstand der verwaltungsinternen Standortbestimmung (Dezernat IV): Das Leitbild sichert die langfristige " +
                    "Entwicklung der Stadt.",
                    []),
                new(2, ItemKinds.GuidingGoal, "Den Folgen des Klimawandels frühzeitig begegnen",
                    "Hitze, Starkregen und Trockenheit werden in allen Planungen mitgedacht.", [climate], Parent: vision),
                new(3, ItemKinds.GuidingGoal, "Den demografischen Wandel aktiv gestalten",
                    "Wohnen, Versorgung und Infrastruktur passen sich einer älter und vielfältiger werdenden Bevölkerung an.",
                    [demography], Parent: vision),
                new(4, ItemKinds.GuidingGoal, "Lokale Problemlagen bedarfsgerecht lösen",
                    "Stadtteile mit besonderem Handlungsbedarf erhalten gezielte Unterstützung.", [development], Parent: vision),
                new(5, ItemKinds.Measure, "Leitbildprozess auf Gesamtverwaltung, Politik und Öffentlichkeit ausweiten",
                    "Nach der Vorstellung in den Gremien wird das Leitbild mit allen Dezernaten, der Politik und der Bürgerschaft " +
                    "weiterentwickelt.",
                    [development], null, null, 4, Priority.High),
            ],
            Day(2024, 6, 20));
    }

    /// <summary>Kaiserslautern: INSEK „Die Stadt von Übermorgen“, Kickoff in der Technischen Akademie Südwest (03.11.2021).</summary>
    public static DemoProcess Kaiserslautern()
    {
        const int digital = 1, mobility = 2, urban = 3, energy = 4;
        const int climateChange = 1, demography = 2;
        const int vision = 1;
        return new DemoProcess(3,
            "INSEK Kaiserslautern – Die Stadt von Übermorgen",
            "Das Integrierte Nachhaltige Stadtentwicklungskonzept (INSEK) soll fachübergreifende Strategien und Leitlinien für " +
            "die Entwicklung der Stadt formulieren – gemeinsam von der gesamten Stadtgesellschaft. Wie soll Kaiserslautern 2040 " +
            "und 2050 aussehen, und wie erreichen wir das? Wo liegen unsere Stärken und Schwächen, was wollen wir bewahren, was " +
            "erneuern? Das fertige Konzept dient als zentrales Steuerungsinstrument für die integrierte Gesamtentwicklung der " +
            "Stadt. Eine Steuerungsgruppe aus Stadtvorstand, Ratsfraktionen, Wissenschaft und Referat Stadtentwicklung lenkt den " +
            "Prozess; Ortsbeiräte und Gremien werden regelmäßig informiert.",
            "Kaiserslautern", new DateOnly(2021, 11, 3), new DateOnly(2023, 6, 30),
            [
                new("Bestandsaufnahme: Stärken und Schwächen", PhaseKinds.Stocktaking, Day(2021, 7, 15), Day(2021, 11, 3), Off,
                    "Nach dem Grundsatzbeschluss des Stadtrats (Sommer 2020) und der Bildung der Steuerungsgruppe (Juli 2021) wird " +
                    "das Kaiserslautern von heute unter die Lupe genommen."),
                new("Kickoff-Seminarreihe in der Technischen Akademie Südwest", PhaseKinds.Kickoff, Day(2021, 11, 3, 9), Day(2021, 11, 3, 18), Off,
                    "Experten referieren vor Fachpublikum zu Digitalisierung, Mobilität, Städtebau und Energie."),
                new("Vertiefungsworkshops zu den vier Themenfeldern", PhaseKinds.Workshop, Day(2022, 1, 10), Day(2022, 7, 1), Off),
                new("Online-Beteiligung über die INSEK-Internetseite", PhaseKinds.OnlineParticipation, Day(2022, 7, 1), Day(2022, 10, 1),
                    new PhaseSwitches(Proposing: true, Commenting: true, PreModeration: true, Voting: false, ResultsVisible: true),
                    "Anliegen, Interessen und Anregungen der Stadtgesellschaft fließen in das Konzept ein."),
                new("Vorberatung in den Ortsbeiräten und Beschluss im Stadtrat", PhaseKinds.FinalPresentation, Day(2023, 3, 1), Day(2023, 7, 1), Off),
            ],
            [
                ("Digitalisierung", null),
                ("Mobilität", null),
                ("Städtebau", null),
                ("Energie", null),
            ],
            [
                ("Klimawandel", "Eine der Leitfragen von Oberbürgermeister Weichel beim Kickoff."),
                ("Demografie und Wohnen", null),
            ],
            [
                new(vision, ItemKinds.Vision, "Die Stadt von Übermorgen",
                    "Ein Konzept, das alles bündelt, was Kaiserslautern fit für die Zukunft macht – flexibel auf die Bedürfnisse der " +
                    "Stadt zugeschnitten und von der Stadtgesellschaft getragen.",
                    []),
                new(2, ItemKinds.GuidingGoal, "Digitale Stadt für alle", "Digitalisierung in Verwaltung, Bildung und Alltag.", [digital], Parent: vision),
                new(3, ItemKinds.GuidingGoal, "Mobilität neu denken", "Verkehr klimafreundlicher und sicherer machen.", [mobility], [climateChange],
                    Parent: vision),
                new(4, ItemKinds.GuidingGoal, "Städtebau, der bewahrt und erneuert", "Stärken bewahren, Schwächen beheben, Wohnraum schaffen.",
                    [urban], [demography], Parent: vision),
                new(5, ItemKinds.GuidingGoal, "Sichere, erneuerbare Energieversorgung", "Energieversorgung klimaneutral umbauen.", [energy],
                    [climateChange], Parent: vision),
                new(6, ItemKinds.Measure, "INSEK-Internetseite als dauerhafte Beteiligungsplattform",
                    "Die Internetseite informiert jederzeit über den Sachstand und bindet die Stadtgesellschaft ein.",
                    [digital], null, null, 2, Priority.High, 80_000m),
                new(7, ItemKinds.Measure, "Expertendialoge mit Interessengruppen und Beiräten",
                    "Fachliche Dialoge mit den städtischen Beiräten und Interessengruppen begleiten die Erarbeitung.",
                    [urban], null, null, 4, Priority.Medium),
                new(8, ItemKinds.Measure, "Aufsuchende Beteiligung in den Ortsbezirken",
                    "Beteiligungsformate vor Ort erreichen auch Menschen, die nicht zu Veranstaltungen kommen.",
                    [urban], [demography], null, 4, Priority.Medium, 30_000m),
            ],
            Day(2022, 6, 30),
            Ideas:
            [
                new(9, "Mehr Fahrradstellplätze am Hauptbahnhof",
                    "Am Hauptbahnhof fehlen sichere, überdachte Abstellplätze für Fahrräder.", [mobility], "mitte",
                    Guid.Parse("11111111-0000-0000-0000-000000000102"), "Lautrer Radlerin", "angenommen",
                    "Die Anregung wurde in das Handlungsfeld Mobilität des INSEK aufgenommen."),
                new(10, "Solaranlagen auf allen städtischen Dächern",
                    "Die Stadt sollte mit gutem Beispiel vorangehen.", [energy], null,
                    Guid.Parse("11111111-0000-0000-0000-000000000103"), "Anwohner aus dem Westen", "in-pruefung"),
            ],
            News:
            [
                new(Day(2021, 11, 4, 10), "Aktueller Sachstand: Kickoff in der Technischen Akademie Südwest",
                    "Mit dem Kickoff am 3. November 2021 hat die Erarbeitung des INSEK „Die Stadt von Übermorgen“ begonnen.\n\n" +
                    "Auf dieser Seite finden Sie jederzeit den aktuellen Sachstand. Die nächsten Schritte sind " +
                    "Expertendialoge mit den Beiräten und Beteiligung vor Ort in den Ortsbezirken."),
            ]);
    }

    /// <summary>
    /// Delmenhorst: ISEK (Endbericht Nov. 2013, Ratsbeschluss 18.12.2013, Horizont 2025) with Vision, Leitzielen,
    /// Maßnahmen mit Handlungsprioritäten and the yearly monitoring by the Fachdienst Stadtentwicklung und Statistik.
    /// </summary>
    public static DemoProcess Delmenhorst()
    {
        const int housing = 1, economy = 2, centre = 3, social = 4, environment = 5;
        const int vision = 1;
        const string statistics = "Fachdienst Stadtentwicklung und Statistik";
        const string planning = "Fachdienst Stadtplanung";
        const string business = "Wirtschaftsförderung";
        const string education = "Fachdienst Bildung";
        DemoProgress P(int item, int year, MonitoringStatus status, int progress, string office, string? note = null,
            MilestoneDto[]? milestones = null) => new(item, Day(year, 11, 15), status, progress, office, note, milestones);
        return new DemoProcess(4,
            "ISEK Delmenhorst 2025",
            "Das Integrierte Stadtentwicklungskonzept (ISEK) ist Leitbild und Orientierungsrahmen für die längerfristige " +
            "Entwicklung Delmenhorsts. Es begegnet den demografischen, wirtschaftlichen und finanziellen Herausforderungen nicht " +
            "reaktiv und kurzfristig, sondern mit einer nachhaltigen Entwicklungsperspektive. Auf Grundlage einer " +
            "fachübergreifenden Analyse wurden eine Vision und Leitziele für die Handlungsfelder formuliert und Maßnahmen mit " +
            "Handlungsprioritäten hinterlegt. Der Rat hat den Endbericht am 18. Dezember 2013 beschlossen. Jährlich stellt der " +
            "Fachdienst Stadtentwicklung und Statistik einen Monitoring-Bericht zum Umsetzungsfortschritt vor.",
            "Delmenhorst", new DateOnly(2012, 11, 1), new DateOnly(2025, 12, 31),
            [
                new("Fächerübergreifende Analyse", PhaseKinds.Stocktaking, Day(2012, 11, 1), Day(2013, 4, 1), Off),
                new("Erarbeitung von Vision, Leitzielen und Maßnahmen", PhaseKinds.Workshop, Day(2013, 4, 1), Day(2013, 11, 1), Off),
                new("Endbericht und Ratsbeschluss", PhaseKinds.FinalPresentation, Day(2013, 11, 1), Day(2013, 12, 19), Off,
                    "Der Rat bestätigt den Endbericht (Fassung November 2013) am 18. Dezember 2013 als Orientierungsrahmen bis 2025."),
                new("Jährliches Monitoring", PhaseKinds.Monitoring, Day(2014, 1, 1), Day(2027, 1, 1), Off with { ResultsVisible = true },
                    "Der Fachdienst Stadtentwicklung und Statistik berichtet Stadtrat und Öffentlichkeit jährlich über den Umsetzungsfortschritt."),
            ],
            [
                ("Wohnen und Stadtteile", null),
                ("Wirtschaft und Arbeit", null),
                ("Innenstadt und Einzelhandel", null),
                ("Bildung, Soziales und Kultur", null),
                ("Umwelt, Klima und Mobilität", null),
            ],
            [],
            [
                new(vision, ItemKinds.Vision, "Delmenhorst 2025: nachhaltig, lebenswert und gemeinsam gestaltet",
                    "Vision des ISEK-Endberichts (Kapitel 4): Orientierungsrahmen für die strategische Stadtentwicklung mit dem " +
                    "Zeithorizont 2025.",
                    []),
                new(2, ItemKinds.GuidingGoal, "Attraktive Wohnstandorte für alle Generationen", "", [housing], Parent: vision),
                new(3, ItemKinds.GuidingGoal, "Wirtschaftsstandort zwischen Bremen und Oldenburg stärken", "", [economy], Parent: vision),
                new(4, ItemKinds.GuidingGoal, "Eine lebendige Innenstadt", "", [centre], Parent: vision),
                new(5, ItemKinds.GuidingGoal, "Bildungschancen und Zusammenhalt verbessern", "", [social], Parent: vision),
                new(6, ItemKinds.Measure, "Wohnraumversorgungskonzept erstellen und fortschreiben",
                    "Bedarf an Wohnungen nach Größe, Preis und Barrierefreiheit ermitteln und Flächen sichern.",
                    [housing], null, null, 2, Priority.High, 60_000m),
                new(7, ItemKinds.Measure, "Stadtteilerneuerung im Programm Soziale Stadt",
                    "Quartiersmanagement und bauliche Aufwertung in Stadtteilen mit besonderem Handlungsbedarf.",
                    [housing, social], null, "west", 2, Priority.High, 4_500_000m),
                new(8, ItemKinds.Measure, "Gewerbeflächenentwicklung an der Autobahn",
                    "Neue Gewerbeflächen mit guter Anbindung an die A 28 entwickeln und vermarkten.",
                    [economy], null, "ost", 3, Priority.Medium, 2_000_000m),
                new(9, ItemKinds.Measure, "Innenstadtmanagement und Leerstandsbörse",
                    "Ein Citymanagement koordiniert Handel, Eigentümer und Veranstaltungen; Leerstände werden vermittelt.",
                    [centre, economy], null, "mitte", 4, Priority.High, 150_000m),
                new(10, ItemKinds.Measure, "Umgestaltung des Rathausplatzes und der Fußgängerzone",
                    "Mehr Aufenthaltsqualität mit Grün, Sitzgelegenheiten und Barrierefreiheit.",
                    [centre], null, "mitte", 4, Priority.Medium, 3_000_000m),
                new(11, ItemKinds.Measure, "Bildungslandschaft Delmenhorst",
                    "Kitas, Schulen und Weiterbildung arbeiten in einem kommunalen Bildungsnetzwerk zusammen.",
                    [social], null, null, 5, Priority.High, 250_000m),
                new(12, ItemKinds.Measure, "Radverkehrskonzept umsetzen",
                    "Lücken im Radwegenetz schließen und sichere Abstellanlagen an Bahnhof und Innenstadt schaffen.",
                    [environment], null, null, vision, Priority.Medium, 1_800_000m),
                new(13, ItemKinds.Measure, "Klimaschutzkonzept für die Stadt",
                    "Ein Klimaschutzkonzept mit CO₂-Bilanz und Maßnahmenkatalog erstellen.",
                    [environment], null, null, vision, Priority.Low, 90_000m),
            ],
            Day(2013, 12, 18),
            Progress:
            [
                P(6, 2014, MonitoringStatus.InProgress, 30, statistics, "Auftrag für das Wohnraumversorgungskonzept vergeben."),
                P(6, 2016, MonitoringStatus.Completed, 100, statistics, "Konzept vom Rat beschlossen; Fortschreibung alle fünf Jahre.",
                    [new("Auftragsvergabe", new DateOnly(2014, 6, 30), new DateOnly(2014, 6, 12)),
                     new("Ratsbeschluss", new DateOnly(2016, 9, 30), new DateOnly(2016, 9, 22))]),
                P(7, 2015, MonitoringStatus.InProgress, 20, planning, "Quartiersmanagement eingerichtet."),
                P(7, 2020, MonitoringStatus.InProgress, 60, planning, "Spielplatz und Quartierszentrum fertiggestellt."),
                P(7, 2024, MonitoringStatus.InProgress, 85, planning, "Letzter Bauabschnitt der Wohnumfeldverbesserung begonnen.",
                    [new("Quartierszentrum eröffnet", new DateOnly(2019, 5, 1), new DateOnly(2019, 5, 10)),
                     new("Wohnumfeld Bauabschnitt 3", new DateOnly(2024, 10, 31), new DateOnly(2024, 10, 15)),
                     new("Abschluss der Förderung", new DateOnly(2025, 12, 31))]),
                P(7, 2025, MonitoringStatus.InProgress, 95, planning, "Schlussabrechnung der Förderung in Vorbereitung."),
                P(8, 2017, MonitoringStatus.Planned, 10, business, "Bebauungsplanverfahren eingeleitet."),
                P(8, 2022, MonitoringStatus.Delayed, 35, business, "Verzögerung durch artenschutzrechtliche Prüfung.",
                    [new("Satzungsbeschluss Bebauungsplan", new DateOnly(2021, 12, 31), new DateOnly(2023, 3, 2)),
                     new("Erschließung abgeschlossen", new DateOnly(2025, 6, 30))]),
                P(8, 2025, MonitoringStatus.InProgress, 60, business, "Erschließung läuft; erste Grundstücke verkauft."),
                P(9, 2014, MonitoringStatus.InProgress, 40, business, "Citymanagement eingestellt."),
                P(9, 2018, MonitoringStatus.Completed, 100, business, "Leerstandsbörse online; Citymanagement dauerhaft finanziert."),
                P(10, 2019, MonitoringStatus.Planned, 15, planning, "Wettbewerb ausgelobt."),
                P(10, 2023, MonitoringStatus.InProgress, 55, planning, "Erster Bauabschnitt Fußgängerzone fertig.",
                    [new("Wettbewerbsentscheidung", new DateOnly(2020, 3, 31), new DateOnly(2020, 2, 27)),
                     new("Bauabschnitt 1", new DateOnly(2023, 9, 30), new DateOnly(2023, 11, 20)),
                     new("Bauabschnitt 2 Rathausplatz", new DateOnly(2025, 10, 31))]),
                P(10, 2025, MonitoringStatus.Delayed, 70, planning, "Bauabschnitt 2 wegen Fördermittelbescheid auf 2026 verschoben."),
                P(11, 2015, MonitoringStatus.InProgress, 50, education, "Bildungsbüro gegründet."),
                P(11, 2021, MonitoringStatus.Completed, 100, education, "Bildungsnetzwerk verstetigt; jährliche Bildungskonferenz."),
                P(12, 2016, MonitoringStatus.InProgress, 20, planning),
                P(12, 2024, MonitoringStatus.InProgress, 65, planning, "Radweg an der Stedinger Straße fertiggestellt.",
                    [new("Fahrradparkhaus am Bahnhof", new DateOnly(2024, 5, 31), new DateOnly(2024, 7, 1)),
                     new("Lückenschluss Innenstadtring", new DateOnly(2026, 6, 30))]),
                P(13, 2025, MonitoringStatus.NotStarted, 0, statistics, "Nach Prioritätensetzung des Fachausschusses zurückgestellt."),
            ],
            News:
            [
                new(Day(2025, 11, 20, 10), "Monitoring-Bericht 2025 dem Stadtrat vorgestellt",
                    "Der Fachdienst Stadtentwicklung und Statistik hat dem Stadtrat den jährlichen Monitoring-Bericht zum ISEK " +
                    "vorgestellt.\n\n" +
                    "| Stand | Maßnahmen |\n|---|---|\n| abgeschlossen | 3 |\n| in Umsetzung | 3 |\n| verzögert | 1 |\n| zurückgestellt | 1 |\n\n" +
                    "Den Fortschritt jeder Maßnahme finden Sie auf der Seite **Umsetzung**."),
            ]);
    }
}
