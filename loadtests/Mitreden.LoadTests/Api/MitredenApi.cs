using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Api;

/// <summary>
/// The few calls the driver makes to set itself up and to check results, all through the gateway and the public
/// API (never into a service's database): staff login, test voters from Identity, a ballot in Voting.
/// Setup calls can be slow (thousands of accounts per call), so they go over a client of their own with a long
/// timeout; the sampled receipt polls use it too, so they never wait behind the load in the load client's pool.
/// </summary>
public sealed class MitredenApi(Uri baseUrl, string adminEmail, string adminPassword) : IDisposable
{
    private readonly HttpClient http = LoadHttp.Create(baseUrl, TimeSpan.FromMinutes(3), maxConnections: 256);

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Where the demo processes of /work/DEMO_IDS.md live: Lünen has an open online phase.</summary>
    public static readonly Guid LuenenProcess = Guid.Parse("22222222-0000-0000-0000-000000000005");

    private string? _staffToken;
    private DateTime _staffTokenAt;

    public void Dispose() => http.Dispose();

    /// <summary>A staff (admin) access token; logs in again before the 10-minute token runs out.</summary>
    public async Task<string> StaffTokenAsync(CancellationToken ct)
    {
        if (_staffToken is null || DateTime.UtcNow - _staffTokenAt > TimeSpan.FromMinutes(8))
        {
            _staffToken = await PasswordTokenAsync(adminEmail, adminPassword, ct);
            _staffTokenAt = DateTime.UtcNow;
        }
        return _staffToken;
    }

    public async Task<string> PasswordTokenAsync(string email, string password, CancellationToken ct)
    {
        using var response = await http.PostAsync("api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "mitreden-test",
            ["username"] = email,
            ["password"] = password,
        }), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"login as {email}: {(int)response.StatusCode} {Trim(body)}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>A test voter: the account's id, its key for the test-voter grant and the access token taken with it.</summary>
    public sealed record TestVoter(Guid UserId, string AccessToken, string? Key = null);
    private sealed record CreatedVoter(Guid UserId, string Key);
    private sealed record CreatedVoters(string District, List<CreatedVoter> Voters);

    /// <summary>Token requests in flight at once while taking test voters' tokens (Identity has two cores at most here).</summary>
    public const int TokenConcurrency = 16;

    /// <summary>
    /// Test voters (confirmed residents of <paramref name="district"/>): the accounts from Identity's staff endpoint in
    /// chunks of 5,000, then one access token each from the token endpoint (grant urn:mitreden:test-voter),
    /// <see cref="TokenConcurrency"/> at a time. Identity answers 404 unless it runs with Identity:AllowTestVoters=true.
    /// </summary>
    public async Task<List<TestVoter>> CreateTestVotersAsync(int count, string district, TextWriter progress, CancellationToken ct)
    {
        const int chunk = 5000;   // Identity's maximum per call
        var started = DateTime.UtcNow;
        var created = new List<CreatedVoter>(count);
        while (created.Count < count)
        {
            var n = Math.Min(chunk, count - created.Count);
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/identity/admin/test-voters")
            {
                Content = JsonContent.Create(new { count = n, district }, options: Json),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await StaffTokenAsync(ct));
            using var response = await http.SendAsync(request, ct);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException(
                    "Identity refused test voters (404): start it with Identity__AllowTestVoters=true (./mitreden bench does).");
            }
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"test voters: {(int)response.StatusCode} {Trim(body)}");
            }
            created.AddRange(JsonSerializer.Deserialize<CreatedVoters>(body, Json)!.Voters);
        }
        var accountsSeconds = (DateTime.UtcNow - started).TotalSeconds;
        progress.WriteLine($"  voters     {count:#,0} test accounts created in {accountsSeconds:0.0} s ({count / Math.Max(accountsSeconds, 0.001):#,0}/s)");

        var tokensStarted = DateTime.UtcNow;
        var voters = new TestVoter[created.Count];
        var done = 0;
        await Parallel.ForAsync(0, created.Count, new ParallelOptions { MaxDegreeOfParallelism = TokenConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var voter = created[i];
                voters[i] = new TestVoter(voter.UserId, await TestVoterTokenAsync(voter.UserId, voter.Key, token), voter.Key);
                var finished = Interlocked.Increment(ref done);
                if (finished % 20_000 == 0 && finished < count)
                {
                    progress.WriteLine($"  voters     {finished:#,0}/{count:#,0} tokens taken");
                }
            });
        var tokensSeconds = (DateTime.UtcNow - tokensStarted).TotalSeconds;
        var totalSeconds = (DateTime.UtcNow - started).TotalSeconds;
        progress.WriteLine($"  voters     {count:#,0} tokens taken in {tokensSeconds:0.0} s ({count / Math.Max(tokensSeconds, 0.001):#,0}/s); " +
            $"voters with tokens: {count / Math.Max(totalSeconds, 0.001):#,0}/s");
        return [.. voters];
    }

    /// <summary>New access tokens for voters created earlier (after a signing key changed), same concurrency.</summary>
    public async Task RenewTokensAsync(IReadOnlyList<TestVoter> voters, Action<int, string> renewed, CancellationToken ct) =>
        await Parallel.ForAsync(0, voters.Count, new ParallelOptions { MaxDegreeOfParallelism = TokenConcurrency, CancellationToken = ct },
            async (i, token) =>
            {
                var voter = voters[i];
                if (voter.Key is null)
                {
                    throw new InvalidOperationException("the voters carry no keys (voters file of an older driver): delete it");
                }
                renewed(i, await TestVoterTokenAsync(voter.UserId, voter.Key, token));
            });

    public const string TestVoterGrant = "urn:mitreden:test-voter";

    private async Task<string> TestVoterTokenAsync(Guid userId, string key, CancellationToken ct)
    {
        using var response = await http.PostAsync("api/identity/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = TestVoterGrant,
            ["voter_id"] = userId.ToString(),
            ["voter_key"] = key,
        }), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"test voter token: {(int)response.StatusCode} {Trim(body)}");
        }
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The next staff call signs in again (after a signing key changed).</summary>
    public void ForgetStaffToken() => _staffToken = null;

    public sealed record OptionView(Guid OptionId, string Title);
    public sealed record BallotView(Guid Id, string State, List<OptionView> Options, long? FinalVotes);

    /// <summary>An approval ballot with live results (so staff can read the tally while it runs), opened at once.</summary>
    public async Task<BallotView> CreateOpenApprovalBallotAsync(string title, int options, CancellationToken ct)
    {
        var input = new
        {
            processId = LuenenProcess,
            title,
            method = "approval",
            options = Enumerable.Range(1, options).Select(i => new { title = $"Lasttest-Option {i}" }).ToArray(),
            minSelections = 1,
            visibility = "live",
            eligibility = new { kind = "verified" },
            closesAt = DateTimeOffset.UtcNow.AddHours(6),
        };
        var created = await SendStaffAsync<BallotView>(HttpMethod.Post, "api/voting/ballots", input, ct);
        return await SendStaffAsync<BallotView>(HttpMethod.Post, $"api/voting/ballots/{created.Id}/open", null, ct);
    }

    /// <summary>Waits until several consecutive reads (round-robin over the Voting instances) see the ballot open.</summary>
    public async Task WaitUntilOpenEverywhereAsync(Guid ballotId, CancellationToken ct)
    {
        var streak = 0;
        for (var attempt = 0; attempt < 200 && streak < 6; attempt++)
        {
            using var response = await http.GetAsync($"api/voting/ballots/{ballotId}", ct);
            var state = response.IsSuccessStatusCode
                ? JsonSerializer.Deserialize<BallotView>(await response.Content.ReadAsStringAsync(ct), Json)?.State
                : null;
            streak = state == "open" ? streak + 1 : 0;
            if (streak < 6)
            {
                await Task.Delay(100, ct);
            }
        }
        if (streak < 6)
        {
            throw new InvalidOperationException($"ballot {ballotId} did not become open on every Voting instance");
        }
    }

    public sealed record OptionResult(Guid OptionId, long Online, long OnlineVotes);
    public sealed record ResultsView(Guid BallotId, string State, long Voters, List<OptionResult> Options);

    public Task<ResultsView> ResultsAsync(Guid ballotId, CancellationToken ct) =>
        SendStaffAsync<ResultsView>(HttpMethod.Get, $"api/voting/ballots/{ballotId}/results", null, ct);

    public sealed record RecountView(Guid Id, string Kind, bool Matches, long? Votes, string? Digest, string? Differences);

    public Task<RecountView> RecountAsync(Guid ballotId, CancellationToken ct) =>
        SendStaffAsync<RecountView>(HttpMethod.Post, $"api/voting/ballots/{ballotId}/recount", null, ct);

    public Task<BallotView> BallotAsync(Guid ballotId, CancellationToken ct) =>
        SendStaffAsync<BallotView>(HttpMethod.Get, $"api/voting/ballots/{ballotId}", null, ct);

    public Task<BallotView> CloseAsync(Guid ballotId, CancellationToken ct) =>
        SendStaffAsync<BallotView>(HttpMethod.Post, $"api/voting/ballots/{ballotId}/close", null, ct);

    /// <summary>Status of a receipt: pending, counted, superseded, rejected — or null while it is not known yet.</summary>
    public async Task<string?> ReceiptStatusAsync(Guid ballotId, string receiptHash, CancellationToken ct)
    {
        using var response = await http.GetAsync($"api/voting/ballots/{ballotId}/receipts/{receiptHash}", ct);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
        return json.RootElement.TryGetProperty("status", out var status) ? status.GetString() : null;
    }

    private async Task<T> SendStaffAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await StaffTokenAsync(ct));
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {Trim(text)}");
        }
        return JsonSerializer.Deserialize<T>(text, Json)!;
    }

    private static string Trim(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
