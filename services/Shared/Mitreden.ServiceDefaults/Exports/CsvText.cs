namespace Mitreden.ServiceDefaults.Exports;

/// <summary>
/// The one rule for text in every CSV we export. A spreadsheet program runs a cell that starts with '=', '+', '-'
/// or '@' (or tab or carriage return, which some programs strip first) as a formula, so such a text cell gets a
/// leading apostrophe (OWASP "CSV Injection"): it shows as text and nothing runs. Only text goes through
/// <see cref="Cell"/>; numbers we format ourselves (a negative count, a difference) are written as they are.
/// </summary>
public static class CsvText
{
    private static readonly char[] FormulaStarts = ['=', '+', '-', '@', '\t', '\r'];
    private static readonly char[] NeedsQuotes = ['"', '\r', '\n'];

    /// <summary>The text as a cell a spreadsheet shows as text: prefixed with an apostrophe if it could start a formula.</summary>
    public static string Cell(string? text) =>
        string.IsNullOrEmpty(text) ? "" : Array.IndexOf(FormulaStarts, text[0]) >= 0 ? "'" + text : text;

    /// <summary>True when <paramref name="text"/> would start a formula in a spreadsheet (before <see cref="Cell"/>).</summary>
    public static bool StartsFormula(string? text) => !string.IsNullOrEmpty(text) && Array.IndexOf(FormulaStarts, text[0]) >= 0;

    /// <summary>RFC 4180 quoting for an already safe field: quoted when it holds the separator, a quote or a line break.</summary>
    public static string Quote(string field, char separator) =>
        field.IndexOf(separator) >= 0 || field.IndexOfAny(NeedsQuotes) >= 0
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    /// <summary>A text field ready to write: neutralised, then quoted when needed.</summary>
    public static string Field(string? text, char separator) => Quote(Cell(text), separator);
}
