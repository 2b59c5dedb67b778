using Mitreden.TestKit;
using Mitreden.Voting.Api.Data;

namespace Mitreden.Voting.Tests.Integration;

/// <summary>A wrong Voting setting stops the start with a message that names the key, instead of a vote path that runs wrong.</summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Voting:Consumer:BatchSize", "0", "Voting:Consumer:BatchSize must be between 1 and 5000.")]
    [InlineData("Voting:Consumer:Prefetch", "10", "Voting:Consumer:Prefetch must be at least Voting:Consumer:BatchSize.")]
    [InlineData("Voting:PublisherChannels", "1000", "Voting:PublisherChannels must be between 1 and 256.")]
    [InlineData("Voting:VotesPerMessage", "0", "Voting:VotesPerMessage must be between 1 and 1000.")]
    [InlineData("Voting:PublishSenders", "0", "Voting:PublishSenders must be between 1 and 256.")]
    [InlineData("Voting:CloseGrace", "00:00:01", "Voting:CloseGrace must be at least Voting:PublishTimeout.")]
    [InlineData("Voting:VoterKeySecret", "AAAA", "Voting:VoterKeySecret is required")]
    [InlineData("Voting:Consumer:BatchWindow", "bald", "Voting:Consumer:BatchWindow")]
    [InlineData("Voting:CloseRequestWait", "00:01:00", "Voting:CloseRequestWait must be between")]
    public async Task Start_InvalidSetting_RefusesToStartNamingTheKey(string key, string value, string message)
    {
        var factory = VotingFixture.Configure(new ServiceFactory<VotingDb>("voting")).With(key, value);
        var failure = await factory.StartFailureAsync();
        failure.Should().NotBeNull("a service with {0}={1} must not start", key, value);
        failure.Should().Contain(message);
    }
}
