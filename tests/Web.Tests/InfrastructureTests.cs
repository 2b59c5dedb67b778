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
    public void ProblemFromJson_OAuthErrorAndGarbage_AreReadWithoutThrowing()
    {
        ApiProblem.FromJson(400, """{"error":"invalid_grant","error_description":"wrong"}""").Detail.Should().Be("wrong");
        ApiProblem.FromJson(502, "<html>bad gateway</html>").Messages().Should().BeEmpty();
    }
}
