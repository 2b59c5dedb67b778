using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Mitreden.TestKit;

namespace Mitreden.Security.Tests;

/// <summary>Talks to the running stack through the gateway, as every outside client does.</summary>
public static partial class Stack
{
    public const string Password = "Sicheres-Passwort-2026!";

    public static string MailDirectory => Path.Combine(TestEnvironment.State
        ?? throw new InvalidOperationException("MITREDEN_STATE is not set; run through ./mitreden test."), "mail");

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

    public static async Task<string> TokenAsync(string email, string password)
    {
        using var client = Client();
        using var response = await client.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "mitreden-test",
            ["username"] = email,
            ["password"] = password,
        }));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"token for {email}: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    public static string AdminEmail => Environment.GetEnvironmentVariable("MITREDEN_ADMIN_EMAIL")
        ?? throw new InvalidOperationException("MITREDEN_ADMIN_EMAIL is not set; run through ./mitreden test.");

    public static string AdminPassword => Environment.GetEnvironmentVariable("MITREDEN_ADMIN_PASSWORD")
        ?? throw new InvalidOperationException("MITREDEN_ADMIN_PASSWORD is not set; run through ./mitreden test.");

    public static Task<string> AdminTokenAsync() => TokenAsync(AdminEmail, AdminPassword);

    /// <summary>Registers an account (email not confirmed yet).</summary>
    public static async Task<(Guid Id, string Email)> RegisterAsync(string prefix)
    {
        var email = $"sec-{prefix}-{Guid.NewGuid():N}@example.org";
        using var client = Client();
        var json = await Json(await PostJsonAsync(client, "/api/identity/account/register",
            new { email, password = Password, displayName = $"Sicherheit {prefix}" }), HttpStatusCode.Created);
        return (json.GetProperty("userId").GetGuid(), email);
    }

    /// <summary>Confirms the email through the link Identity mailed (the test stack writes mails as .eml files).</summary>
    public static async Task ConfirmEmailAsync(string email)
    {
        string? link = null;
        await Eventually.AssertAsync(() =>
        {
            link = FindConfirmationLink(email) ?? throw new InvalidOperationException($"no confirmation mail to {email} in {MailDirectory}");
            return Task.CompletedTask;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(200));
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(link!).Query);
        using var client = Client();
        await Json(await PostJsonAsync(client, "/api/identity/account/confirm-email",
            new { userId = Guid.Parse(query["userId"]!), token = query["token"]! }), HttpStatusCode.NoContent);
    }

    private static string? FindConfirmationLink(string email)
    {
        if (!Directory.Exists(MailDirectory))
        {
            return null;
        }
        foreach (var file in new DirectoryInfo(MailDirectory).GetFiles("*.eml").OrderByDescending(f => f.LastWriteTimeUtc))
        {
            var text = File.ReadAllText(file.FullName);
            if (!text.Contains(email, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            text = text.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            if (ConfirmLink().Match(text) is { Success: true } match)
            {
                return match.Value;
            }
        }
        return null;
    }

    [GeneratedRegex(@"https?://\S+/konto/email-bestaetigen\?userId=[0-9a-fA-F-]{36}&token=[^\s]+")]
    private static partial Regex ConfirmLink();

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
    public static async Task<Guid> CommentAsync(HttpClient author, Guid itemId, string text)
    {
        var response = await Eventually.ValueAsync(
            () => PostJsonAsync(author, $"/api/comments/items/{itemId}/comments", new { text, stance = "neutral" }),
            r => r.StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(30));
        return (await Json(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
