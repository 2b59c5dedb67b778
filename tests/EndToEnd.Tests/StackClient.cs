using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Mitreden.TestKit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>Talks to the running stack through the gateway, as the web front end and other clients do.</summary>
public static class StackClient
{
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
        const string password = "Sicheres-Passwort-2026!";
        var register = await client.PostAsJsonAsync("/api/identity/account/register",
            new { email, password, displayName = "E2E Bürgerin" });
        if (register.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"register: {(int)register.StatusCode} {await register.Content.ReadAsStringAsync()}");
        }
        var token = await PasswordGrantAsync(client, email, password);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (client, email, token);
    }

    public static async Task<string> PasswordGrantAsync(HttpClient client, string email, string password)
    {
        var response = await client.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "mitreden-web",
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
