using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Api.Features.Import;

/// <param name="Line">Line in the file (the header is line 1).</param>
/// <param name="Field">The column (its English name; for header errors the name as written in the file).</param>
/// <param name="Message">English text for API users.</param>
/// <param name="Code">Stable code of the error, for clients that say it in their own words (see <see cref="ImportErrorCodes"/>).</param>
/// <param name="Value">The text of the cell (or the limit) the error is about, where there is one.</param>
public sealed record ImportError(int Line, string Field, string Message, string Code = ImportErrorCodes.Invalid, string? Value = null);

/// <summary>The codes of <see cref="ImportError"/>; a client that does not know a code shows the message.</summary>
public static class ImportErrorCodes
{
    public const string NotUtf8 = "not-utf8";
    public const string EmptyFile = "empty-file";
    public const string UnknownColumn = "unknown-column";
    public const string DuplicateColumn = "duplicate-column";
    public const string RequiredColumn = "required-column";
    public const string NoRows = "no-rows";
    public const string Missing = "missing";
    public const string TooLong = "too-long";
    public const string UnknownKind = "unknown-kind";
    public const string CitizenIdea = "citizen-idea";
    public const string UnknownPriority = "unknown-priority";
    public const string NotAnAmount = "not-an-amount";
    public const string UnknownFieldOfAction = "unknown-field-of-action";
    public const string UnknownTheme = "unknown-theme";
    public const string UnknownDistrict = "unknown-district";
    public const string UnknownParent = "unknown-parent";
    public const string WrongParent = "wrong-parent";
    /// <summary>A rule of items that every item meets, however it is created (the message says which).</summary>
    public const string Invalid = "invalid";
}

/// <summary>One row as written in the file, before its names are matched against the process.</summary>
internal sealed record ImportRow(int Line, string Kind, string Title, string Description, IReadOnlyList<string> FieldsOfAction,
    IReadOnlyList<string> Themes, string? District, Priority? Priority, decimal? CostEstimate, string? ParentTitle);

/// <summary>
/// Reads items from a CSV (e.g. the measures of a workshop protocol): header row, ';' (or ',') separated,
/// columns kind;title;description;fieldOfAction;district;priority;costEstimate;parentTitle[;themes], or their German names as
/// people write them in Excel (Art;Titel;Beschreibung;Handlungsfeld;Stadtteil;Priorität;Kosten;Übergeordnet;Querschnittsthemen).
/// Several fields of action or themes are separated by '|'. German words are understood (Maßnahme, Leitziel, hoch, 12.500,00 €).
/// </summary>
internal static class CsvItemImport
{
    public static readonly IReadOnlyList<string> Columns =
        ["kind", "title", "description", "fieldOfAction", "district", "priority", "costEstimate", "parentTitle", "themes"];

    /// <summary>German column names (and common variants) for the columns above.</summary>
    private static readonly Dictionary<string, string> GermanColumns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Art"] = "kind", ["Typ"] = "kind",
        ["Titel"] = "title",
        ["Beschreibung"] = "description",
        ["Handlungsfeld"] = "fieldOfAction", ["Handlungsfelder"] = "fieldOfAction",
        ["Stadtteil"] = "district", ["Bezirk"] = "district",
        ["Priorität"] = "priority", ["Prioritaet"] = "priority",
        ["Kosten"] = "costEstimate", ["Kostenschätzung"] = "costEstimate", ["Kostenschaetzung"] = "costEstimate", ["Kosten (€)"] = "costEstimate",
        ["Übergeordnet"] = "parentTitle", ["Uebergeordnet"] = "parentTitle", ["Übergeordnetes Ziel"] = "parentTitle", ["Leitziel"] = "parentTitle",
        ["Querschnittsthema"] = "themes", ["Querschnittsthemen"] = "themes", ["Themen"] = "themes",
    };

    private static readonly Dictionary<string, string> KindWords = new(StringComparer.OrdinalIgnoreCase)
    {
        [ItemKinds.Vision] = ItemKinds.Vision, ["leitbild"] = ItemKinds.Vision,
        [ItemKinds.GuidingGoal] = ItemKinds.GuidingGoal, ["leitziel"] = ItemKinds.GuidingGoal, ["ziel"] = ItemKinds.GuidingGoal,
        [ItemKinds.Measure] = ItemKinds.Measure, ["maßnahme"] = ItemKinds.Measure, ["massnahme"] = ItemKinds.Measure,
        [ItemKinds.Scenario] = ItemKinds.Scenario, ["szenario"] = ItemKinds.Scenario,
    };

    private static readonly Dictionary<string, Priority> PriorityWords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["high"] = Priority.High, ["hoch"] = Priority.High, ["1"] = Priority.High,
        ["medium"] = Priority.Medium, ["mittel"] = Priority.Medium, ["2"] = Priority.Medium,
        ["low"] = Priority.Low, ["niedrig"] = Priority.Low, ["gering"] = Priority.Low, ["3"] = Priority.Low,
    };

    public static (List<ImportRow> Rows, List<ImportError> Errors) Parse(TextReader reader)
    {
        var rows = new List<ImportRow>();
        var errors = new List<ImportError>();
        var firstLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(firstLine))
        {
            errors.Add(new ImportError(1, "header", $"The file is empty; the first line must name the columns ({string.Join(";", Columns)}).",
                ImportErrorCodes.EmptyFile));
            return (rows, errors);
        }
        var delimiter = firstLine.Contains(';') ? ";" : ",";
        using var rest = new StringReader(firstLine + "\n" + reader.ReadToEnd());
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            Delimiter = delimiter,
            HasHeaderRecord = true,
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
        };
        using var csv = new CsvReader(rest, config);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord ?? [];
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim().TrimStart('\uFEFF');
            var known = Columns.FirstOrDefault(c => c.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? GermanColumns.GetValueOrDefault(name);
            if (known is null)
            {
                errors.Add(new ImportError(1, name, $"Unknown column; known columns are {string.Join(", ", Columns)}.",
                    ImportErrorCodes.UnknownColumn, name));
            }
            else if (!index.TryAdd(known, i))
            {
                errors.Add(new ImportError(1, known, "The column appears twice.", ImportErrorCodes.DuplicateColumn, name));
            }
        }
        foreach (var required in new[] { "kind", "title" }.Where(c => !index.ContainsKey(c)))
        {
            errors.Add(new ImportError(1, required, "This column is required.", ImportErrorCodes.RequiredColumn));
        }
        if (errors.Count > 0)
        {
            return (rows, errors);
        }

        while (csv.Read())
        {
            // RawRow is the record's last line; a quoted field with line breaks starts it earlier.
            var line = csv.Parser.RawRow - csv.Parser.RawRecord.TrimEnd('\r', '\n').Count(c => c == '\n');
            string? Field(string column) => index.TryGetValue(column, out var i) && i < csv.Parser.Count
                ? NullIfEmpty(csv.Parser[i])
                : null;

            var kindText = Field("kind");
            string kind = "";
            if (kindText is null)
            {
                errors.Add(new ImportError(line, "kind", "Missing.", ImportErrorCodes.Missing));
            }
            else if (!KindWords.TryGetValue(kindText, out kind!))
            {
                errors.Add(new ImportError(line, "kind", kindText.Equals(ItemKinds.CitizenIdea, StringComparison.OrdinalIgnoreCase)
                    ? "Citizen ideas are proposed by citizens, not imported."
                    : $"'{kindText}' is not a kind (vision, guiding-goal, measure, scenario or Leitbild, Leitziel, Maßnahme, Szenario).",
                    kindText.Equals(ItemKinds.CitizenIdea, StringComparison.OrdinalIgnoreCase) ? ImportErrorCodes.CitizenIdea : ImportErrorCodes.UnknownKind,
                    kindText));
                kind = "";
            }
            var title = Field("title");
            if (title is null)
            {
                errors.Add(new ImportError(line, "title", "Missing.", ImportErrorCodes.Missing));
            }
            else if (title.Length > ItemRules.MaxTitle)
            {
                errors.Add(new ImportError(line, "title", $"At most {ItemRules.MaxTitle} characters.", ImportErrorCodes.TooLong,
                    ItemRules.MaxTitle.ToString(CultureInfo.InvariantCulture)));
            }
            var description = Field("description") ?? "";
            if (description.Length > ItemRules.MaxDescription)
            {
                errors.Add(new ImportError(line, "description", $"At most {ItemRules.MaxDescription} characters.", ImportErrorCodes.TooLong,
                    ItemRules.MaxDescription.ToString(CultureInfo.InvariantCulture)));
            }
            Priority? priority = null;
            if (Field("priority") is { } priorityText)
            {
                if (PriorityWords.TryGetValue(priorityText, out var p))
                {
                    priority = p;
                }
                else
                {
                    errors.Add(new ImportError(line, "priority", $"'{priorityText}' is not a priority (hoch, mittel, niedrig / high, medium, low / 1, 2, 3).",
                        ImportErrorCodes.UnknownPriority, priorityText));
                }
            }
            decimal? cost = null;
            if (Field("costEstimate") is { } costText)
            {
                if (TryParseMoney(costText, out var value) && value >= 0)
                {
                    cost = value;
                }
                else
                {
                    errors.Add(new ImportError(line, "costEstimate", $"'{costText}' is not an amount in euros (e.g. 12500 or 12.500,00).",
                        ImportErrorCodes.NotAnAmount, costText));
                }
            }
            rows.Add(new ImportRow(line, kind, title ?? "", description, SplitList(Field("fieldOfAction")), SplitList(Field("themes")),
                Field("district"), priority, cost, Field("parentTitle")));
        }
        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add(new ImportError(2, "", "The file has a header but no rows.", ImportErrorCodes.NoRows));
        }
        return (rows, errors);
    }

    /// <summary>Matches the names in the rows against the process (and parents against earlier rows) and builds drafts.</summary>
    public static List<(ImportRow Row, Guid Id, ItemDraft Draft)> Resolve(IReadOnlyList<ImportRow> rows, ProcessCatalog catalog,
        List<ImportError> errors)
    {
        var fieldsByTitle = catalog.Fields.Values.GroupBy(f => f.Title.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var themesByTitle = catalog.Themes.Values.GroupBy(t => t.Title.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var districts = catalog.Districts.SelectMany(d => new[] { (Key: d.Key, Slug: d.Key), (Key: d.Value, Slug: d.Key) })
            .GroupBy(d => d.Key, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Slug, StringComparer.OrdinalIgnoreCase);
        var parents = catalog.Parents.GroupBy(p => p.Value.Title.Trim(), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => (Id: g.First().Key, g.First().Value.Kind), StringComparer.OrdinalIgnoreCase);

        var result = new List<(ImportRow, Guid, ItemDraft)>();
        foreach (var row in rows)
        {
            var fieldIds = new List<Guid>();
            foreach (var name in row.FieldsOfAction)
            {
                if (fieldsByTitle.TryGetValue(name, out var id) || (Guid.TryParse(name, out id) && catalog.Fields.ContainsKey(id)))
                {
                    fieldIds.Add(id);
                }
                else
                {
                    errors.Add(new ImportError(row.Line, "fieldOfAction", $"'{name}' is not a field of action of this process.",
                        ImportErrorCodes.UnknownFieldOfAction, name));
                }
            }
            var themeIds = new List<Guid>();
            foreach (var name in row.Themes)
            {
                if (themesByTitle.TryGetValue(name, out var id) || (Guid.TryParse(name, out id) && catalog.Themes.ContainsKey(id)))
                {
                    themeIds.Add(id);
                }
                else
                {
                    errors.Add(new ImportError(row.Line, "themes", $"'{name}' is not a cross-cutting theme of this process.",
                        ImportErrorCodes.UnknownTheme, name));
                }
            }
            string? district = null;
            if (row.District is { } districtText && !districts.TryGetValue(districtText, out district))
            {
                errors.Add(new ImportError(row.Line, "district", $"'{districtText}' is not a district of {catalog.Process.City}.",
                    ImportErrorCodes.UnknownDistrict, districtText));
            }
            Guid? parentId = null;
            if (row.ParentTitle is { } parentTitle)
            {
                if (!parents.TryGetValue(parentTitle, out var parent))
                {
                    errors.Add(new ImportError(row.Line, "parentTitle", $"No vision or guiding goal titled '{parentTitle}' in the process or in an earlier row.",
                        ImportErrorCodes.UnknownParent, parentTitle));
                }
                else if (row.Kind.Length > 0 && ItemRules.ParentProblem(row.Kind, parent.Kind) is { } problem)
                {
                    errors.Add(new ImportError(row.Line, "parentTitle", problem, ImportErrorCodes.WrongParent));
                }
                else
                {
                    parentId = parent.Id;
                }
            }
            var itemId = Guid.CreateVersion7();
            if (row.Kind is ItemKinds.Vision or ItemKinds.GuidingGoal && row.Title.Length > 0)
            {
                parents.TryAdd(row.Title.Trim(), (itemId, row.Kind));
            }
            result.Add((row, itemId, new ItemDraft(row.Kind, row.Title, row.Description, fieldIds, themeIds, district, parentId, row.Priority,
                row.CostEstimate)));
        }
        return result;
    }

    public static bool TryParseMoney(string text, out decimal value)
    {
        var cleaned = text.Replace("€", "").Replace("EUR", "", StringComparison.OrdinalIgnoreCase).Replace(" ", "").Replace("\u00A0", "");
        // German first ("12.500,50"); a plain "12500.50" with a single dot and two decimals is read the international way.
        if (System.Text.RegularExpressions.Regex.IsMatch(cleaned, @"^\d+\.\d{1,2}$"))
        {
            return decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
        }
        return decimal.TryParse(cleaned, NumberStyles.Number, CultureInfo.GetCultureInfo("de-DE"), out value);
    }

    private static IReadOnlyList<string> SplitList(string? text) =>
        text is null ? [] : text.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string? NullIfEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
