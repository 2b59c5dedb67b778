using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using MassTransit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Keys;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.Identity.Contracts;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

[CollectionDefinition(Name)]
public sealed class IdentityCollection : ICollectionFixture<IdentityFixture>
{
    public const string Name = "identity";
}

/// <summary>
/// One Identity instance on its own PostgreSQL database and RabbitMQ vhost, issuing and validating its own tokens,
/// with mails written to a temporary pickup folder and every Identity event captured from the real broker. A real
/// Proposals instance shares the vhost, because Identity asks it over the bus whether a district exists.
/// </summary>
public sealed class IdentityFixture : IAsyncLifetime
{
    public const string Password = "Korrekt-Pferd-Batterie-9";
    public const string ServiceClientId = "proposals";
    public const string ServiceClientSecret = "proposals-test-secret-0123456789";
    public const string WebRedirectUri = "http://localhost/anmelden/rueckkehr";
    public const string WebPostLogoutRedirectUri = "http://localhost/abgemeldet";
    public const string WebClientSecret = "web-test-secret-0123456789";

    private HostReceiveEndpointHandle? _events;

    public IdentityFixture()
    {
        MailDirectory = Path.Combine(Path.GetTempPath(), "mitreden-identity-tests", Guid.NewGuid().ToString("N"));
        Mails = new Mailbox(MailDirectory);
        RedisPrefix = "identity-test-" + Guid.NewGuid().ToString("N");
        Factory = new ServiceFactory<IdentityDb>("identity") { UseTestIssuerKeys = false };
        Factory
            .With("Identity:KeyEncryptionKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)))
            .With("Mail:PickupDirectory", MailDirectory)
            .With("Notifications:PollInterval", "00:00:00.300")
            .With("Notifications:RetryDelay", "00:00:01")
            .With("Identity:AllowTestVoters", "true")
            .With("Identity:AllowTestClients", "true")
            .With("Identity:WebClient:Secret", WebClientSecret)
            .With("Identity:WebClient:PostLogoutRedirectUris:0", WebPostLogoutRedirectUri)
            .With("Identity:RedisKeyPrefix", RedisPrefix)
            .With($"Identity:Clients:{ServiceClientId}:Secret", ServiceClientSecret)
            .With("Identity:WebClient:RedirectUris:0", WebRedirectUri)
            // Two keys: the first signs; the second is published, but takes over only tomorrow.
            .With("Identity:SigningKeys:0:Pem", ActiveKey.ExportPkcs8PrivateKeyPem())
            .With("Identity:SigningKeys:1:Pem", NextKey.ExportPkcs8PrivateKeyPem())
            .With("Identity:SigningKeys:1:SignFrom", DateTimeOffset.UtcNow.AddDays(1).ToString("O"));
    }

    /// <summary>The configured key that signs (the test holds its private part to forge tokens with the real key).</summary>
    public RSA ActiveKey { get; } = RSA.Create(2048);

    /// <summary>Configured and published, not signing yet.</summary>
    public RSA NextKey { get; } = RSA.Create(2048);

    public string ActiveKeyId => new ConfiguredKey(ActiveKey, null).KeyId;

    public string NextKeyId => new ConfiguredKey(NextKey, null).KeyId;

    /// <summary>A fresh RSA 2048 private key in PEM, for Identity instances of other test classes.</summary>
    public static string NewSigningKeyPem()
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>An RS256 token over exactly these header and payload JSON texts, signed with <see cref="ActiveKey"/>.</summary>
    public string SignRaw(string headerJson, string payloadJson)
    {
        var input = Jwt.Encode(headerJson) + "." + Jwt.Encode(payloadJson);
        var signature = ActiveKey.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + System.Buffers.Text.Base64Url.EncodeToString(signature);
    }

    public ServiceFactory<IdentityDb> Factory { get; }

    /// <summary>Proposals on the same vhost: the owner of the districts.</summary>
    public ServiceFactory<ProposalsDb> Proposals { get; private set; } = null!;

    public string MailDirectory { get; }

    /// <summary>The pickup folder read as mails; each confirmation or reset link is handed out once.</summary>
    public Mailbox Mails { get; }

    public string RedisPrefix { get; }

    /// <summary>Every Identity event that reached the broker (through the outbox), in arrival order.</summary>
    public ConcurrentQueue<object> Events { get; } = new();

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)Factory).InitializeAsync();
        _ = Factory.Server; // start the host (migrations, key ring, bus)
        Proposals = new ServiceFactory<ProposalsDb>("identityproposals", sharedVirtualHost: Factory.VirtualHost);
        await ((IAsyncLifetime)Proposals).InitializeAsync();
        _ = Proposals.Server;
        var bus = Factory.Services.GetRequiredService<IBus>();
        _events = bus.ConnectReceiveEndpoint("identity-tests-events-" + Guid.NewGuid().ToString("N")[..8], e =>
        {
            if (e is IRabbitMqReceiveEndpointConfigurator rabbit)
            {
                rabbit.AutoDelete = true;
                rabbit.Durable = false;
            }
            e.Handler<UserRegistered>(Capture);
            e.Handler<UserVerified>(Capture);
            e.Handler<UserBlocked>(Capture);
            e.Handler<UserUnblocked>(Capture);
            e.Handler<UserDeleted>(Capture);
            e.Handler<UserDisplayNameChanged>(Capture);
        });
        await _events.Ready;
    }

    private Task Capture<T>(ConsumeContext<T> context) where T : class
    {
        Events.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_events is not null)
        {
            await _events.StopAsync();
        }
        await ((IAsyncLifetime)Proposals).DisposeAsync();
        await ((IAsyncLifetime)Factory).DisposeAsync();
        try
        {
            Directory.Delete(MailDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// A client speaking from <paramref name="address"/> (X-Forwarded-For; the test server has no peer address, so the
    /// header is trusted), by default from an address of its own: Identity's per-address limits must not throttle the
    /// set-up of unrelated tests.
    /// </summary>
    public HttpClient Anonymous(string? address = null)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address ?? RandomAddress());
        return client;
    }

    /// <summary>An address from 198.18.0.0/15 (benchmark range): only ever a header value, never contacted.</summary>
    public static string RandomAddress() => $"198.{Random.Shared.Next(18, 20)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>Makes sure Proposals knows a district with this slug (as staff would create it there).</summary>
    public async Task EnsureDistrictAsync(string slug)
    {
        await using var scope = Proposals.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ProposalsDb>();
        if (!await db.Districts.AnyAsync(d => d.Slug == slug))
        {
            db.Districts.Add(new District { Id = Guid.CreateVersion7(), City = "Teststadt", Slug = slug, Name = slug.ToUpperInvariant() });
            await db.SaveChangesAsync();
        }
    }

    public HttpClient WithToken(string accessToken)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    public static string NewEmail(string prefix = "person") => $"{prefix}-{Guid.NewGuid():N}@example.org";

    public async Task<Guid> RegisterAsync(string email, string password = Password, string displayName = "Testperson")
    {
        var response = await Anonymous().PostAsJsonAsync("/account/register", new { email, password, displayName });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("userId").GetGuid();
    }

    /// <summary>Registers, confirms the email through the mailed token and signs in.</summary>
    public async Task<TestAccount> CreateAccountAsync(string displayName = "Testperson", bool confirm = true, params string[] extraRoles)
    {
        var email = NewEmail();
        var id = await RegisterAsync(email, displayName: displayName);
        if (confirm)
        {
            var (userId, token) = await ReadMailTokenAsync(email, AccountMails.ConfirmEmailPath);
            userId.Should().Be(id);
            var confirmed = await Anonymous().PostAsJsonAsync("/account/confirm-email", new { userId, token });
            confirmed.StatusCode.Should().Be(HttpStatusCode.NoContent);
        }
        foreach (var role in extraRoles)
        {
            await GrantRoleDirectlyAsync(id, role);
        }
        var tokens = await LoginAsync(email, Password);
        return new TestAccount(id, email, tokens);
    }

    /// <summary>Test setup only: bootstraps staff and admins without going through the API.</summary>
    public async Task GrantRoleDirectlyAsync(Guid userId, string role)
    {
        await using var scope = Factory.Scope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDb>();
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = userId, RoleId = SeededRoles.IdOf(role) });
        await db.SaveChangesAsync();
    }

    public async Task<HttpClient> StaffAsync() => WithToken((await CreateAccountAsync("Stadt Test", true, Roles.Staff)).Tokens.AccessToken);

    public async Task<HttpClient> AdminAsync() => WithToken((await CreateAccountAsync("Admin Test", true, Roles.Admin)).Tokens.AccessToken);

    public Task<HttpResponseMessage> TokenRequestAsync(IDictionary<string, string> form, string? address = null) =>
        Anonymous(address).PostAsync("/connect/token", new FormUrlEncodedContent(form));

    public async Task<TokenSet> LoginAsync(string email, string password)
    {
        var response = await TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "mitreden-test",
            ["username"] = email,
            ["password"] = password,
        });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TokenSet.ReadAsync(response);
    }

    public Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = "mitreden-test",
            ["refresh_token"] = refreshToken,
        });

    /// <summary>The account and token of the next unread mail to <paramref name="to"/> with a <paramref name="path"/> link.</summary>
    public async Task<(Guid UserId, string Token)> ReadMailTokenAsync(string to, string path) =>
        Mailbox.UserAndToken(await Mails.NextLinkAsync(to, path, TimeSpan.FromSeconds(10)));

    /// <summary>Every mail to <paramref name="to"/> in the pickup folder so far (read or not).</summary>
    public IReadOnlyList<Mailbox.Mail> MailsTo(string to) => Mails.To(to);

    public async Task<T> InDbAsync<T>(Func<IdentityDb, Task<T>> query)
    {
        await using var scope = Factory.Scope();
        return await query(scope.ServiceProvider.GetRequiredService<IdentityDb>());
    }

    public IEnumerable<T> EventsOf<T>() => Events.OfType<T>();
}

public sealed record TestAccount(Guid Id, string Email, TokenSet Tokens);

public sealed record TokenSet(string AccessToken, string? RefreshToken, int ExpiresIn, string TokenType)
{
    public static async Task<TokenSet> ReadAsync(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new TokenSet(
            json.GetProperty("access_token").GetString()!,
            json.TryGetProperty("refresh_token", out var refresh) ? refresh.GetString() : null,
            json.GetProperty("expires_in").GetInt32(),
            json.GetProperty("token_type").GetString()!);
    }

    public JsonElement Payload => Jwt.Payload(AccessToken);
    public JsonElement Header => Jwt.Header(AccessToken);
}

public static class Jwt
{
    public static JsonElement Header(string token) => Part(token, 0);

    public static JsonElement Payload(string token) => Part(token, 1);

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement.Clone();

    public static string Encode(string json) => System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
