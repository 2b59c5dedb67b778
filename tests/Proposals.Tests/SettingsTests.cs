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
        IAsyncLifetime lifetime = factory;
        await lifetime.InitializeAsync();
        try
        {
            var error = Record.Exception(() => factory.CreateClient());
            error.Should().NotBeNull("a service with {0}={1} must not start", key, value);
            Messages(error!).Should().Contain(message);
        }
        finally
        {
            await lifetime.DisposeAsync();
        }
    }

    [Fact]
    public async Task Start_UnreadableSetting_RefusesToStartNamingTheKey()
    {
        var factory = new ServiceFactory<ProposalsDb>("proposals").With("Proposals:PhaseClockInterval", "alle fünf Sekunden");
        IAsyncLifetime lifetime = factory;
        await lifetime.InitializeAsync();
        try
        {
            var error = Record.Exception(() => factory.CreateClient());
            error.Should().NotBeNull("a service with an unreadable Proposals:PhaseClockInterval must not start");
            Messages(error!).Should().Contain("Proposals:PhaseClockInterval");
        }
        finally
        {
            await lifetime.DisposeAsync();
        }
    }

    /// <summary>The messages of an exception and of every exception inside it (the host may wrap the first).</summary>
    private static string Messages(Exception error) => error switch
    {
        AggregateException all => string.Join(" | ", all.InnerExceptions.Select(Messages)),
        { InnerException: { } inner } => error.Message + " | " + Messages(inner),
        _ => error.Message,
    };
}
