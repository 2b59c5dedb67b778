using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Tests;

public sealed class InfrastructureTests
{
    [Fact]
    public void NewId_Always_IsWellFormedAndUnique()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => SessionStore.NewId()).ToList();

        ids.Should().OnlyHaveUniqueItems().And.OnlyContain(id => SessionStore.IsWellFormed(id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa*")]
    public void IsWellFormed_ForgedCookieValues_AreRejected(string? value) => SessionStore.IsWellFormed(value).Should().BeFalse();

    [Fact]
    public void FromInputDateTime_WinterTimeInBerlin_IsUtcOneHourEarlier()
    {
        var value = Display.FromInputDateTime("2026-01-15T10:30");

        value.Should().Be(new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero));
        value!.Value.Offset.Should().Be(TimeSpan.Zero, "PostgreSQL timestamptz accepts UTC only");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("15.01.2026 10:30")]
    public void FromInputDateTime_NotAnInputValue_IsNull(string? value) => Display.FromInputDateTime(value).Should().BeNull();

    [Fact]
    public void ProblemFromJson_ValidationProblem_KeepsDetailAndFieldErrors()
    {
        var problem = ApiProblem.FromJson(422, """{"title":"Invalid input","detail":"Some fields are invalid.","errors":{"email":["Enter a valid email address."]}}""");

        problem.Status.Should().Be(422);
        problem.Errors["Email"].Should().Equal("Enter a valid email address.");
        problem.Messages().Should().Equal("Some fields are invalid.", "Enter a valid email address.");
    }

    [Fact]
    public void ProblemFromJson_CodesFieldCodesAndImportLines_AreRead()
    {
        var problem = ApiProblem.FromJson(422, """
            {"title":"The CSV has errors","detail":"2 problem(s) found.","code":"import-invalid",
             "errors":[{"line":3,"field":"kind","message":"'Idee' is not a kind.","code":"unknown-kind","value":"Idee"},
                       {"line":4,"field":"title","message":"Missing.","code":"missing"}]}
            """);

        problem.Code.Should().Be("import-invalid");
        problem.Errors.Should().BeEmpty("a list of line errors is not the per-field object");
        problem.Lines.Should().Equal(new ApiLineError(3, "kind", "unknown-kind", "Idee", "'Idee' is not a kind."),
            new ApiLineError(4, "title", "missing", null, "Missing."));

        var fields = ApiProblem.FromJson(422, """{"errors":{"district":["district must be a slug."]},"errorCodes":{"district":"district-slug"}}""");
        fields.ErrorCodes["District"].Should().Be("district-slug");
        ApiProblem.FromJson(403, """{"code":"voting-off"}""").Code.Should().Be("voting-off");
        ApiProblem.FromJson(422, """{"lang":"de","errors":{"endsAt":["Das Ende muss nach dem Beginn liegen."]}}""").DeclaredLanguage
            .Should().Be("de", "a problem may name the language of its messages");
    }

    [Fact]
    public void ProblemFromJson_OAuthErrorAndGarbage_AreReadWithoutThrowing()
    {
        ApiProblem.FromJson(400, """{"error":"invalid_grant","error_description":"wrong"}""").Detail.Should().Be("wrong");
        ApiProblem.FromJson(502, "<html>bad gateway</html>").Messages().Should().BeEmpty();
    }
}
