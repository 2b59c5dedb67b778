using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
namespace Mitreden.TestKit;

/// <summary>
/// The one client of the running stack (<c>./mitreden test</c>) for every test project: talks to it through the gateway,
/// as every outside client does, from a made-up address of its own, and arranges what tests need (accounts, tokens,
/// districts, codes, comments) through the real APIs.
/// </summary>
public static class StackClient
{
    public const string Password = "Sicheres-Passwort-2026!";

    /// <summary>A client speaking from its own address (X-Forwarded-For, trusted by the gateway from loopback).</summary>
    public static HttpClient Client(string? token = null, string? address = null)
    {
        var client = new HttpClient { BaseAddress = TestEnvironment.Gateway, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address ?? RandomAddress());
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>An address from 198.18.0.0/15 (benchmark range): only ever a header value, never contacted.</summary>
    public static string RandomAddress() => $"198.{Random.Shared.Next(18, 20)}.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>
    /// Sends, and when the gateway's ordinary per-client limit answers 429, waits as told and sends again: tests that are
    /// not about rate limits must not fail because the suite itself is fast.
    /// </summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, Func<HttpRequestMessage> request,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.SendAsync(request(), completion);
            var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
            // Only the gateway's short per-client waits; a code-guessing lockout (minutes, an hour) is an answer to report.
            if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= 20 || wait > TimeSpan.FromSeconds(15))
            {
                return response;
            }
            response.Dispose();
            await Task.Delay(wait + TimeSpan.FromMilliseconds(Random.Shared.Next(50, 300)));
        }
    }

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string path, object? body) =>
        SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) });

    public static Task<HttpResponseMessage> PutJsonAsync(HttpClient client, string path, object? body) =>
        SendAsync(client, () => new HttpRequestMessage(HttpMethod.Put, path) { Content = body is null ? null : JsonContent.Create(body) });

    public static Task<HttpResponseMessage> GetAsync(HttpClient client, string path) =>
        SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, path));

    public static async Task<JsonElement> Json(HttpResponseMessage response, params HttpStatusCode[] expected)
    {
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync();
            if (!expected.Contains(response.StatusCode))
            {
                throw new InvalidOperationException(
                    $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {string.Join("/", expected.Select(e => (int)e))}, got {(int)response.StatusCode} {body}");
            }
            return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
        }
    }

    public static async Task<string> TokenAsync(string email, string password) => (await TokenWithLifetimeAsync(email, password)).Token;

    /// <summary>A password-grant access token of the test client and how long it lives.</summary>
    public static async Task<(string Token, TimeSpan Lifetime)> TokenWithLifetimeAsync(string email, string password)
    {
        using var client = Client();
        using var response = await SendAsync(client, () => new HttpRequestMessage(HttpMethod.Post, "/api/identity/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = "mitreden-test",
                ["username"] = email,
                ["password"] = password,
            }),
        });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token for {email}: {(int)response.StatusCode} {body}");
        }
        var json = JsonDocument.Parse(body).RootElement;
        return (json.GetProperty("access_token").GetString()!, TimeSpan.FromSeconds(json.GetProperty("expires_in").GetInt32()));
    }

    /// <summary>A client that carries the bearer token of the given account.</summary>
    public static async Task<HttpClient> SignedInAsync(string email, string password) => Client(await TokenAsync(email, password));

    public static string AdminEmail => Environment.GetEnvironmentVariable("MITREDEN_ADMIN_EMAIL")
        ?? throw new InvalidOperationException("MITREDEN_ADMIN_EMAIL is not set; run through ./mitreden test.");

    public static string AdminPassword => Environment.GetEnvironmentVariable("MITREDEN_ADMIN_PASSWORD")
        ?? throw new InvalidOperationException("MITREDEN_ADMIN_PASSWORD is not set; run through ./mitreden test.");

    public static Task<string> AdminTokenAsync() => TokenAsync(AdminEmail, AdminPassword);

    /// <summary>Registers an account (email not confirmed yet) with <see cref="Password"/>.</summary>
    public static async Task<(Guid Id, string Email)> RegisterAsync(string prefix)
    {
        var email = $"{prefix.ToLowerInvariant()}-{Guid.NewGuid():N}@example.org";
        return (await RegisterAsync(email, $"Test {prefix}"), email);
    }

    public static async Task<Guid> RegisterAsync(string email, string displayName)
    {
        using var client = Client();
        var json = await Json(await PostJsonAsync(client, "/api/identity/account/register",
            new { email, password = Password, displayName }), HttpStatusCode.Created);
        return json.GetProperty("userId").GetGuid();
    }

    /// <summary>Confirms the email through the link Identity mailed.</summary>
    public static async Task ConfirmEmailAsync(string email)
    {
        var (userId, token) = Mailbox.UserAndToken(await Mailbox.OfStack.LinkAsync(email, Mailbox.ConfirmEmailPath));
        using var client = Client();
        await Json(await PostJsonAsync(client, "/api/identity/account/confirm-email", new { userId, token }), HttpStatusCode.NoContent);
    }

    /// <summary>One fresh letter code for a district, from the batch CSV (code;district).</summary>
    public static async Task<string> LetterCodeAsync(HttpClient staff, string district)
    {
        await EnsureDistrictAsync(staff, district);
        using var response = await PostJsonAsync(staff, "/api/identity/admin/letter-code-batches", new { district, count = 1 });
        var csv = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"letter codes: {(int)response.StatusCode} {csv}");
        }
        return csv.Trim('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1].Split(';')[0];
    }

    /// <summary>Letter codes exist only for districts the city has: create it in Proposals unless it is there.</summary>
    public static async Task EnsureDistrictAsync(HttpClient staff, string slug)
    {
        using var response = await PostJsonAsync(staff, "/api/proposals/districts", new { city = "Teststadt", slug, name = slug.ToUpperInvariant() });
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"district {slug}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static StringContent RawJson(string text) => new(text, Encoding.UTF8, "application/json");

    /// <summary>Posts as soon as Comments has learned the item and its phase from Proposals' events.</summary>
    public static async Task<Guid> CommentAsync(HttpClient author, Guid itemId, string text, Guid? parentId = null)
    {
        var response = await Eventually.ValueAsync(
            () => PostJsonAsync(author, $"/api/comments/items/{itemId}/comments", new { text, stance = "neutral", parentId }),
            r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        return (await Json(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
