using System.Net;
using System.Net.Http.Json;
using FluentAssertions;
using Mitreden.TestKit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>What the end-to-end flows arrange through the gateway (on <see cref="StackClient"/>): citizens, the admin, test voters, an open process.</summary>
public static class Arrange
{
    /// <summary>Registers a fresh citizen through Identity and returns a client carrying their access token.</summary>
    public static async Task<(HttpClient Client, string Email, string AccessToken)> NewCitizenAsync()
    {
        var email = $"e2e-{Guid.NewGuid():N}@example.org";
        await StackClient.RegisterAsync(email, "E2E Bürgerin");
        var token = await StackClient.TokenAsync(email, StackClient.Password);
        return (StackClient.Client(token), email, token);
    }

    /// <summary>The test stack's bootstrap administrator (admins pass the staff and moderator policies too).</summary>
    public static async Task<HttpClient> AdminAsync() => StackClient.Client(await StackClient.AdminTokenAsync());

    /// <summary>
    /// Access tokens of <paramref name="count"/> new test voters (residents of <paramref name="district"/>): the accounts
    /// from Identity's staff endpoint, each token from the token endpoint's test-voter grant, all through the gateway
    /// (a fresh client address for every few tokens: the gateway limits token requests per address).
    /// </summary>
    public static async Task<string[]> TestVoterTokensAsync(HttpClient staff, int count, string district)
    {
        var voters = (await StackClient.Json(await staff.PostAsJsonAsync("/api/identity/admin/test-voters", new { count, district }), HttpStatusCode.OK))
            .GetProperty("voters").EnumerateArray().ToArray();
        var tokens = new string[voters.Length];
        HttpClient? client = null;
        for (var i = 0; i < voters.Length; i++)
        {
            if (i % 5 == 0)
            {
                client?.Dispose();
                client = StackClient.Client();
            }
            var granted = await StackClient.Json(await client!.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
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

    /// <summary>
    /// A published process with a running participation phase (commenting on) and one measure. The citizens of these
    /// tests are fresh accounts without a confirmed address, so the process lets them comment unless told otherwise.
    /// </summary>
    public static async Task<(Guid ProcessId, Guid ItemId)> OpenProcessWithMeasureAsync(HttpClient staff, bool preModeration = false,
        bool unconfirmedAccountsMayComment = true)
    {
        var process = await StackClient.Json(await staff.PostAsJsonAsync("/api/proposals/processes",
            new
            {
                title = "E2E Klimaplan " + Guid.NewGuid().ToString("N")[..6], city = "Teststadt", description = "Ende-zu-Ende-Test",
                unconfirmedAccountsMayComment,
            }),
            HttpStatusCode.Created);
        var processId = process.GetProperty("id").GetGuid();
        await StackClient.Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/phases", new
        {
            title = "Online-Beteiligung",
            kind = "online-participation",
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            endsAt = DateTimeOffset.UtcNow.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration, voting = true, resultsVisible = true },
        }), HttpStatusCode.Created);
        var item = await StackClient.Json(await staff.PostAsJsonAsync($"/api/proposals/processes/{processId}/items",
            new { title = "Radweg an der Lippe", description = "Ein durchgehender Radweg.", kind = "measure" }), HttpStatusCode.Created);
        (await staff.PostAsync($"/api/proposals/processes/{processId}/publish", null)).StatusCode.Should().Be(HttpStatusCode.OK);
        return (processId, item.GetProperty("id").GetGuid());
    }
}
