using Mitreden.ServiceDefaults.Exports;

namespace Mitreden.ServiceDefaults.Tests.Exports;

public sealed class CsvTextTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\";\"klick\")", "'=HYPERLINK(\"http://x\";\"klick\")")]
    [InlineData("+49 30 1234", "'+49 30 1234")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    public void Cell_FormulaStart_GetsApostrophe(string text, string expected) => CsvText.Cell(text).Should().Be(expected);

    [Theory]
    [InlineData("Radweg Nord", "Radweg Nord")]
    [InlineData("1+1", "1+1")]
    [InlineData("a=b", "a=b")]
    [InlineData("'=schon neutral", "'=schon neutral")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Cell_PlainText_Unchanged(string? text, string expected) => CsvText.Cell(text).Should().Be(expected);

    [Theory]
    [InlineData("a;b", ';', "\"a;b\"")]
    [InlineData("a,b", ';', "a,b")]
    [InlineData("a,b", ',', "\"a,b\"")]
    [InlineData("sagt \"ja\"", ',', "\"sagt \"\"ja\"\"\"")]
    [InlineData("zwei\nZeilen", ';', "\"zwei\nZeilen\"")]
    public void Quote_SpecialCharacters_QuotedPerRfc4180(string field, char separator, string expected) =>
        CsvText.Quote(field, separator).Should().Be(expected);

    [Fact]
    public void Field_FormulaWithSeparator_NeutralisedThenQuoted() =>
        CsvText.Field("=1;2", ';').Should().Be("\"'=1;2\"");
}
