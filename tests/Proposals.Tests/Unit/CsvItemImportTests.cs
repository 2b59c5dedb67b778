using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Domain;
using Mitreden.Proposals.Api.Features.Import;
using Mitreden.Proposals.Contracts;
using Mitreden.Proposals.Contracts.Http;

namespace Mitreden.Proposals.Tests.Unit;

public sealed class CsvItemImportTests
{
    [Fact]
    public void Parse_GermanWordsQuotedFieldsAndCommaFile_AreUnderstood()
    {
        var (rows, errors) = CsvItemImport.Parse(new StringReader(
            "kind,title,description,priority,costEstimate\nMaßnahme,\"Radweg, neu\",\"Zeile 1\nZeile 2\",mittel,\"1.234,5\"\nLeitziel,Ziel,,,\n"));
        errors.Should().BeEmpty();
        rows.Should().HaveCount(2);
        rows[0].Should().Match<ImportRow>(r => r.Kind == ItemKinds.Measure && r.Title == "Radweg, neu" && r.Description == "Zeile 1\nZeile 2"
            && r.Priority == Priority.Medium && r.CostEstimate == 1234.5m && r.Line == 2);
        rows[1].Should().Match<ImportRow>(r => r.Kind == ItemKinds.GuidingGoal && r.Line == 4, "the quoted line break moves the next row down");
    }

    [Fact]
    public void Parse_CitizenIdeaAndMissingTitleColumn_AreReportedOnTheirLines()
    {
        CsvItemImport.Parse(new StringReader("kind;description\nmeasure;x\n")).Errors.Should().ContainSingle(e => e.Line == 1 && e.Field == "title");
        CsvItemImport.Parse(new StringReader("kind;title\nmeasure;A\ncitizen-idea;B\n")).Errors
            .Should().ContainSingle(e => e.Line == 3 && e.Field == "kind" && e.Message.Contains("citizens"));
        CsvItemImport.Parse(new StringReader("kind;title\n")).Errors.Should().ContainSingle(e => e.Message.Contains("no rows"));
        CsvItemImport.Parse(new StringReader("")).Errors.Should().ContainSingle(e => e.Line == 1);
    }

    [Theory]
    [InlineData("12.500,00 €", 12500)]
    [InlineData("12500", 12500)]
    [InlineData("80000.50", 80000.5)]
    [InlineData("1.234.567", 1234567)]
    [InlineData("EUR 99,95", 99.95)]
    public void TryParseMoney_GermanAndPlainAmounts_Parse(string text, decimal expected)
    {
        CsvItemImport.TryParseMoney(text, out var value).Should().BeTrue();
        value.Should().Be(expected);
    }

    [Theory]
    [InlineData(ItemKinds.Vision, ItemKinds.Vision, false)]
    [InlineData(ItemKinds.GuidingGoal, ItemKinds.Vision, true)]
    [InlineData(ItemKinds.GuidingGoal, ItemKinds.GuidingGoal, false)]
    [InlineData(ItemKinds.Measure, ItemKinds.GuidingGoal, true)]
    [InlineData(ItemKinds.CitizenIdea, ItemKinds.Vision, true)]
    [InlineData(ItemKinds.Measure, ItemKinds.Measure, false)]
    public void ParentProblem_KindPairs_KeepTheTreeTwoLevelsDeep(string kind, string parentKind, bool allowed)
    {
        (ItemRules.ParentProblem(kind, parentKind) is null).Should().Be(allowed);
    }
}
