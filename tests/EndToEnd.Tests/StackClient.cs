using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>Talks to the running stack through the gateway, as the web front end and other clients do.</summary>
public static class StackClient
{
    public const string CitizenPassword = "Sicheres-Passwort-2026!";

    public static HttpClient Create(string? clientAddress = null)
    {
        var client = new HttpClient { BaseAddress = TestEnvironment.Gateway, Timeout = TimeSpan.FromSeconds(30) };
        // Each test class speaks as its own client address, so per-address rate limits of one test do not
        // throttle another. The gateway trusts X-Forwarded-For only from loopback proxies.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress ?? RandomDocumentationAddress());
        return client;
    }

    /// <summary>An address from 198.18.0.0/15 (benchmark range): only ever a header value, never contacted.</summary>
    public static string RandomDocumentationAddress() =>
        $"198.18.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>Registers a fresh citizen through Identity and returns a client carrying their access token.</summary>
    public static async Task<(HttpClient Client, string Email, string AccessToken)> NewCitizenAsync()
    {
        var client = Create();
        var email = $"e2e-{Guid.NewGuid():N}@example.org";
        var register = await client.PostAsJsonAsync("/api/identity/account/register",
            new { email, password = CitizenPassword, displayName = "E2E Bürgerin" });
        if (register.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"register: {(int)register.StatusCode} {await register.Content.ReadAsStringAsync()}");
        }
        var token = await PasswordGrantAsync(client, email, CitizenPassword);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, email, token);
    }

    /// <summary>The test stack's bootstrap administrator (admins pass the staff and moderator policies too).</summary>
    public static async Task<HttpClient> AdminAsync()
    {
        var client = Create();
        var email = Environment.GetEnvironmentVariable("MITREDEN_ADMIN_EMAIL")
            ?? throw new InvalidOperationException("MITREDEN_ADMIN_EMAIL is not set; run through ./mitreden test.");
        var token = await PasswordGrantAsync(client, email, Environment.GetEnvironmentVariable("MITREDEN_ADMIN_PASSWORD")!);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Access tokens of <paramref name="count"/> new test voters (residents of <paramref name="district"/>): the accounts
    /// from Identity's staff endpoint, each token from the token endpoint's test-voter grant, all through the gateway
    /// (a fresh client address for every few tokens: the gateway limits token requests per address).
    /// </summary>
    public static async Task<string[]> TestVoterTokensAsync(HttpClient staff, int count, string district)
    {
        var voters = (await Json(await staff.PostAsJsonAsync("/api/identity/admin/test-voters", new { count, district }), HttpStatusCode.OK))
            .GetProperty("voters").EnumerateArray().ToArray();
        var tokens = new string[voters.Length];
        HttpClient? client = null;
        for (var i = 0; i < voters.Length; i++)
        {
            if (i % 5 == 0)
            {
                client?.Dispose();
                client = Create();
            }
            var granted = await Json(await client!.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "urn:mitreden:test-voter",
                ["voter_id"] = voters[i].GetProperty("userId").GetString()!,
                ["voter_key"] = voters[i].GetProperty("key").GetString()!,
            })), HttpStatusCode.OK);
            tokens[i] = granted.GetProperty("access_token").GetString()!;
        }
        client?.Dispose();
        return tokens;
    }

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>
    /// A published process with a running participation phase (commenting on) and one measure. The citizens of these
    /// tests are fresh accounts without a confirmed address, so the process lets them comment unless told otherwise.
    /// </summary>
    public static async Task<(Guid ProcessId, Guid ItemId)> OpenProcessWithMeasureAsync(HttpClient staff, bool preModeration = false,
        bool unconfirmedAccountsMayComment = true)
    {
        var process = await Json(await staff.PostAsJsonAsync("/api/proposals/processes",
            new
            {
                title = "E2E Klimaplan " + Guid.NewGuid().ToString("N")[..6], city = "Teststadt", description = "Ende-zu-Ende-Test",
                unconfirmedAccountsMayComment,
            }),
            HttpStatusCode.Created);
        var processId = process.GetProperty("id").GetGuid();
        await Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/phases", new
        {
            title = "Online-Beteiligung",
            kind = "online-participation",
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            endsAt = DateTimeOffset.UtcNow.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration, voting = true, resultsVisible = true },
        }), HttpStatusCode.Created);
        var item = await Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/items",
            new { title = "Radweg an der Lippe", description = "Ein durchgehender Radweg.", kind = "measure" }), HttpStatusCode.Created);
        (await staff.PostAsync($"/api/proposals/processes/{processId}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (processId, item.GetProperty("id").GetGuid());
    }

    /// <summary>Posts as soon as Comments has learned the item and its phase from Proposals' events.</summary>
    public static async Task<Guid> PostCommentAsync(HttpClient author, Guid itemId, string text, Guid? parentId = null)
    {
        var response = await Eventually.ValueAsync(
            () => author.PostAsJsonAsync($"/api/comments/items/{itemId}/comments", new { text, stance = "neutral", parentId }),
            r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        return (await Json(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    public static async Task<string> PasswordGrantAsync(HttpClient client, string email, string password)
    {
        var response = await client.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "mitreden-test",
            ["username"] = email,
            ["password"] = password,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }
}
