using FluentAssertions;
using Mitreden.Proposals.Api.Data;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Proposals.Tests;

/// <summary>A wrong setting stops the start with a message that names the key, instead of a service that runs wrong.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Proposals:PhaseClockInterval", "00:00:00", "Proposals:PhaseClockInterval must be a positive time span")]
    [InlineData("Proposals:Reports:FontDirectory", " ", "Proposals:Reports:FontDirectory must name a folder.")]
    public async Task Start_InvalidSetting_RefusesToStartNamingTheKey(string key, string value, string message)
    {
        var factory = new ServiceFactory<ProposalsDb>("proposals").With(key, value);
        var failure = await factory.StartFailureAsync();
        failure.Should().NotBeNull("a service with {0}={1} must not start", key, value);
        failure.Should().Contain(message);
    }

    [Fact]
    public async Task Start_UnreadableSetting_RefusesToStartNamingTheKey()
    {
        var factory = new ServiceFactory<ProposalsDb>("proposals").With("Proposals:PhaseClockInterval", "alle fünf Sekunden");
        var failure = await factory.StartFailureAsync();
        failure.Should().NotBeNull("a service with an unreadable Proposals:PhaseClockInterval must not start");
        failure.Should().Contain("Proposals:PhaseClockInterval");
    }
}
