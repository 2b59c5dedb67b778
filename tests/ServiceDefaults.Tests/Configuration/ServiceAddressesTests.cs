using FluentAssertions;
using Microsoft.Extensions.Configuration;
using Mitreden.ServiceDefaults.Configuration;
using Xunit;

namespace Mitreden.ServiceDefaults.Tests.Configuration;

public sealed class ServiceAddressesTests
{
    private static IConfiguration With(string? value) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Services:voting"] = value })
        .Build();

    [Fact]
    public void Get_SeveralAddresses_InTheOrderGiven()
    {
        ServiceAddresses.Get(With(" http://127.0.0.1:8104 ; http://127.0.0.1:8114;"), "voting").Select(u => u.OriginalString)
            .Should().Equal("http://127.0.0.1:8104", "http://127.0.0.1:8114");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void Get_Missing_NamesTheKeyAndTheEnvironmentVariable(string? value)
    {
        var act = () => ServiceAddresses.Get(With(value), "voting");
        act.Should().Throw<InvalidOperationException>().WithMessage("*'Services:voting'*'Services__voting'*");
    }

    [Fact]
    public void Get_OnlySeparators_NamesNoAddress()
    {
        var act = () => ServiceAddresses.Get(With(" ; ;"), "voting");
        act.Should().Throw<InvalidOperationException>().WithMessage("*'Services:voting' names no address*");
    }

    [Theory]
    [InlineData("127.0.0.1:8104")]
    [InlineData("/voting")]
    [InlineData("ftp://127.0.0.1/voting")]
    [InlineData("http://127.0.0.1:8104;voting-2")]
    public void Get_NotAnAbsoluteHttpUrl_StopsWithTheValue(string value)
    {
        var act = () => ServiceAddresses.Get(With(value), "voting");
        act.Should().Throw<InvalidOperationException>().WithMessage("*'Services:voting' holds*expected absolute http(s) URLs*");
    }
}
