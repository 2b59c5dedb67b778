using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Mitreden.LoadTests.Tests;

/// <summary>
/// Just enough of the gateway's API for the vote burst: login, test voters, a ballot, votes that are counted
/// after a delay (last vote per voter wins), receipts, results, recount, close, and the no-op. Faults can be
/// switched on to prove that the driver's checks fail when votes are lost or counted twice.
/// </summary>
public sealed class FakeMitreden : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Guid[]> _current = new();   // voter (token up to its last '.') → counted choices
    private readonly ConcurrentDictionary<string, int> _votingTokens = new(); // token → votes that carried it
    private readonly ConcurrentDictionary<string, string> _receipts = new();  // hash → pending|counted
    private readonly List<Guid> _options = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
    private readonly Guid _ballotId = Guid.NewGuid();
    private long _extraVoters;
    private int _votes;
    private string _state = "draft";

    /// <summary>Every Nth accepted vote is never counted (0 = none).</summary>
    public int LoseEvery { get; init; }

    /// <summary>Every Nth accepted vote is counted as an additional voter (0 = none).</summary>
    public int DuplicateEvery { get; init; }

    /// <summary>Every Nth vote is counted but answered with 503, as when an instance dies after the broker's confirm (0 = none).</summary>
    public int UnansweredEvery { get; init; }

    /// <summary>Every Nth vote is refused with 401 and not counted, as by a component that does not know the token's key (0 = none).</summary>
    public int UnauthorizedEvery { get; init; }

    /// <summary>Test-voter tokens issued, in order ("voter.ID.N").</summary>
    public ConcurrentQueue<string> IssuedVoterTokens { get; } = new();

    /// <summary>Tokens that votes carried.</summary>
    public ICollection<string> VotingTokens => _votingTokens.Keys;

    public TimeSpan CountDelay { get; init; } = TimeSpan.FromMilliseconds(30);
    public Uri BaseUrl { get; private set; } = null!;
    public int VotesReceived => Volatile.Read(ref _votes);

    private FakeMitreden(WebApplication app) => _app = app;

    public static async Task<FakeMitreden> StartAsync(int loseEvery = 0, int duplicateEvery = 0, int unansweredEvery = 0, int unauthorizedEvery = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeMitreden(app) { LoseEvery = loseEvery, DuplicateEvery = duplicateEvery, UnansweredEvery = unansweredEvery, UnauthorizedEvery = unauthorizedEvery };
        fake.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = new Uri(address + "/");
        return fake;
    }

    private object Ballot() => new
    {
        id = _ballotId, state = _state, options = _options.Select((o, i) => new { optionId = o, title = $"Option {i}" }),
        finalVotes = _state == "closed" ? (long?)Voters() : null,
    };

    private long Voters() => _current.Count + Interlocked.Read(ref _extraVoters);

    private void Map(WebApplication app)
    {
        app.MapPost("/api/identity/connect/token", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            if (form["grant_type"] != "urn:mitreden:test-voter")
            {
                return Results.Ok(new { access_token = "staff", token_type = "Bearer", expires_in = 600 });
            }
            var token = $"voter.{form["voter_id"]}.{Guid.NewGuid():N}";
            IssuedVoterTokens.Enqueue(token);
            return Results.Ok(new { access_token = token, token_type = "Bearer", expires_in = 600 });
        });
        app.MapPost("/api/identity/admin/test-voters", (JsonElement body) =>
        {
            var count = body.GetProperty("count").GetInt32();
            return Results.Ok(new
            {
                district = "mitte",
                voters = Enumerable.Range(0, count).Select(_ => new { userId = Guid.NewGuid(), key = "key-" + Guid.NewGuid().ToString("N") }),
            });
        });
        app.MapPost("/api/voting/ballots", () => Results.Created($"/ballots/{_ballotId}", Ballot()));
        app.MapPost("/api/voting/ballots/{id:guid}/open", () =>
        {
            _state = "open";
            return Results.Ok(Ballot());
        });
        app.MapGet("/api/voting/ballots/{id:guid}", () => Results.Ok(Ballot()));
        app.MapGet("/api/voting/noop", () => Results.NoContent());
        app.MapPost("/api/voting/ballots/{id:guid}/votes", async (HttpContext http) =>
        {
            var token = http.Request.Headers.Authorization.ToString()["Bearer ".Length..];
            using var json = await JsonDocument.ParseAsync(http.Request.Body);
            var choices = json.RootElement.GetProperty("selected").EnumerateArray().Select(e => e.GetGuid()).ToArray();
            var n = Interlocked.Increment(ref _votes);
            _votingTokens.AddOrUpdate(token, 1, static (_, v) => v + 1);
            if (UnauthorizedEvery > 0 && n % UnauthorizedEvery == 0)
            {
                return Results.Unauthorized();
            }
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{token}|{n}")));
            _receipts[hash] = "pending";
            _ = Task.Delay(CountDelay).ContinueWith(_ =>
            {
                if (LoseEvery > 0 && n % LoseEvery == 0)
                {
                    return;
                }
                if (DuplicateEvery > 0 && n % DuplicateEvery == 0)
                {
                    Interlocked.Increment(ref _extraVoters);
                }
                _current[token[..Math.Max(0, token.LastIndexOf('.'))]] = choices;
                _receipts[hash] = "counted";
            }, TaskScheduler.Default);
            if (UnansweredEvery > 0 && n % UnansweredEvery == 0)
            {
                return Results.StatusCode(503);
            }
            return Results.Accepted($"/ballots/{_ballotId}/receipts/{hash}", new { voteId = Guid.NewGuid(), sequence = n, receiptHash = hash, status = "pending" });
        });
        app.MapGet("/api/voting/ballots/{id:guid}/receipts/{hash}", (string hash) =>
            _receipts.TryGetValue(hash, out var status) ? Results.Ok(new { ballotId = _ballotId, receiptHash = hash, status }) : Results.NotFound());
        app.MapGet("/api/voting/ballots/{id:guid}/results", () =>
        {
            var counts = _options.ToDictionary(o => o, _ => 0L);
            foreach (var choices in _current.Values)
            {
                foreach (var o in choices)
                {
                    counts[o]++;
                }
            }
            return Results.Ok(new
            {
                ballotId = _ballotId, state = _state, voters = Voters(),
                options = _options.Select(o => new { optionId = o, online = counts[o], onlineVotes = counts[o] }),
            });
        });
        app.MapPost("/api/voting/ballots/{id:guid}/recount", () =>
            Results.Ok(new { id = Guid.NewGuid(), kind = "manual", matches = true, votes = Voters() }));
        app.MapPost("/api/voting/ballots/{id:guid}/close", () =>
        {
            _state = "closed";
            return Results.Ok(Ballot());
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
