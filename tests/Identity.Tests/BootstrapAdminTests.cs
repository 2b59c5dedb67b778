using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mitreden.Identity.Api;
using Mitreden.Identity.Api.Data;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>A new installation's first administrator comes from configuration, once.</summary>
public sealed class BootstrapAdminTests : IAsyncLifetime
{
    private const string Email = "erste-admin@example.org";
    private const string Password = "Erstes-Admin-Passwort-2026!";
    private readonly ServiceFactory<IdentityDb> _factory = new("identity") { UseTestIssuerKeys = false };

    public async Task InitializeAsync()
    {
        _factory
            .With("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .With("Identity:SigningKeys:0:Pem", IdentityFixture.NewSigningKeyPem())
            .With("Identity:WebClient:Secret", IdentityFixture.WebClientSecret)
            .With("Identity:AllowTestClients", "true")
            .With("Mail:PickupDirectory", Path.Combine(Path.GetTempPath(), "mitreden-identity-tests", Guid.NewGuid().ToString("N")))
            .With("Identity:BootstrapAdmin:Email", Email)
            .With("Identity:BootstrapAdmin:Password", Password);
        await ((IAsyncLifetime)_factory).InitializeAsync();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task BootstrapAdmin_Configured_SignsInAsTheOnlyAdmin()
    {
        var response = await _factory.CreateClient().PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = Email, ["password"] = Password,
        }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = Jwt.Payload((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!);
        token.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("admin");
        await using var scope = _factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        (await db.Users.CountAsync()).Should().Be(1, "nothing but the bootstrap admin exists in a new installation");
    }

    [Fact]
    public async Task BootstrapAdmin_SecondStart_CreatesNoSecondAccount()
    {
        await using (var scope = _factory.Scope())
        {
            var again = ActivatorUtilities.CreateInstance<BootstrapAdmin>(scope.ServiceProvider);
            await again.StartAsync(CancellationToken.None);
        }

        await using var check = _factory.Scope();
        (await check.ServiceProvider.GetRequiredService<IdentityDb>().Users.CountAsync(u => u.Email == Email)).Should().Be(1);
    }
}
