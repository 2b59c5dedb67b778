using System.Security.Cryptography;
using FluentAssertions;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Notifications;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>A wrong retention stops Identity's start with a message naming the key, instead of a cleanup that deletes too much.</summary>
public sealed class CleanupSettingsTests
{
    [Theory]
    [InlineData("Notifications:Cleanup:Retention", "00:10:00")]
    [InlineData("Notifications:Cleanup:Interval", "00:00:00")]
    public async Task Start_InvalidCleanupSetting_RefusesToStartNamingTheKey(string key, string value)
    {
        var factory = new ServiceFactory<IdentityDb>("identity") { UseTestIssuerKeys = false }
            .With("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .With("Identity:SigningKeys:0:Pem", IdentityFixture.NewSigningKeyPem())
            .With("Identity:WebClient:Secret", IdentityFixture.WebClientSecret)
            .With("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "mitreden-identity-tests", Guid.NewGuid().ToString("N")))
            .With(key, value);
        var failure = await factory.StartFailureAsync();
        failure.Should().NotBeNull("Identity with {0}={1} must not start", key, value);
        failure.Should().Contain(NotificationCleanupOptions.Rule);
    }
}
