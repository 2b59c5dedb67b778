using System.Security.Cryptography;
using FluentAssertions;
using Mitreden.Identity.Api.Data;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// A wrong setting stops Identity's start with a message naming the key, instead of a service that runs with it (a
/// cleanup that deletes too much, tokens that live for hours, mails that fail at the first registration).
/// </summary>
public sealed class SettingsTests
{
    [Theory]
    [InlineData("Notifications:Cleanup:Retention", "00:10:00", "Notifications:Cleanup:Retention")]
    [InlineData("Notifications:Cleanup:Interval", "00:00:00", "Notifications:Cleanup:Interval")]
    [InlineData("Identity:AccessTokenLifetime", "01:00:00", "Identity:AccessTokenLifetime")]
    [InlineData("Identity:RefreshTokenLifetimeDays", "0", "Identity:RefreshTokenLifetimeDays")]
    [InlineData("Identity:WebBaseUrl", "mitreden.example", "Identity:WebBaseUrl")]
    [InlineData("Identity:Limits:Window", "-00:01:00", "Identity:Limits:Window")]
    [InlineData("Identity:Limits:MailsPerTarget", "0", "MailsPerTarget")]
    [InlineData("Notifications:DigestHour", "24", "Notifications:DigestHour")]
    [InlineData("Mail:From", "keine Adresse", "Mail:From")]
    [InlineData("Mail:Smtp:Port", "0", "Mail:Smtp:Port")]
    [InlineData("Identity:BootstrapAdmin:Email", "admin@mitreden.example", "Identity:BootstrapAdmin:Password")]
    public async Task Start_InvalidSetting_RefusesToStartNamingTheKey(string key, string value, string named)
    {
        var factory = new ServiceFactory<IdentityDb>("identity") { UseTestIssuerKeys = false }
            .With("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .With("Identity:SigningKeys:0:Pem", IdentityFixture.NewSigningKeyPem())
            .With("Identity:WebClient:Secret", IdentityFixture.WebClientSecret)
            .With("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "mitreden-identity-tests", Guid.NewGuid().ToString("N")))
            .With(key, value);
        var failure = await factory.StartFailureAsync();
        failure.Should().NotBeNull("Identity with {0}={1} must not start", key, value);
        failure.Should().Contain(named);
    }
}
