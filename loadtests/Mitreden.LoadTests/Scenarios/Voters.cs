using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mitreden.LoadTests.Api;
using Mitreden.LoadTests.Engine;

namespace Mitreden.LoadTests.Scenarios;

/// <summary>
/// The voters of one ballot and what the driver knows about their votes: which choice set each voter's last 202
/// carried, which outcomes are uncertain (timeouts, 5xx: the vote may or may not have been stored), and a queue of
/// voters whose first vote was accepted and who may change it. A voter never has two votes in flight: a fresh voter
/// is used once, a change is only sent after the first vote's 202 came back.
/// </summary>
public sealed class Voters
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;
    private readonly string _votesPath;
    private readonly AuthenticationHeaderValue[] _auth;
    private readonly int[] _lastBody;
    private readonly int[] _accepted;
    private readonly int[] _uncertain;
    private readonly byte[][] _bodies;
    private readonly ConcurrentQueue<int> _changeable = new();
    private int _nextFresh;
    private long _firstVotes;
    private long _changes;
    private long _extraChanges;

    public Voters(HttpClient http, Guid ballotId, IReadOnlyList<Guid> optionIds, IReadOnlyList<MitredenApi.TestVoter> voters, int seed = 7)
    {
        _http = http;
        BallotId = ballotId;
        _votesPath = $"api/voting/ballots/{ballotId}/votes";
        _auth = voters.Select(v => new AuthenticationHeaderValue("Bearer", v.AccessToken)).ToArray();
        _lastBody = Enumerable.Repeat(-1, voters.Count).ToArray();
        _accepted = new int[voters.Count];
        _uncertain = new int[voters.Count];
        // 32 different approval choices of 1..5 options each.
        var random = new Random(seed);
        ChoiceSets = Enumerable.Range(0, 32)
            .Select(_ => optionIds.OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(5, optionIds.Count) + 1)).ToArray())
            .ToArray();
        _bodies = ChoiceSets.Select(set => JsonSerializer.SerializeToUtf8Bytes(new { selected = set })).ToArray();
    }

    public Guid BallotId { get; }
    public Guid[][] ChoiceSets { get; }
    public int Count => _auth.Length;
    public int Used => Math.Min(Volatile.Read(ref _nextFresh), Count);
    public long FirstVotes => Interlocked.Read(ref _firstVotes);
    public long Changes => Interlocked.Read(ref _changes);
    public long ExtraChanges => Interlocked.Read(ref _extraChanges);

    /// <summary>Called with the receipt hash and acceptance time of a sampled first vote.</summary>
    public Action<string, long>? OnSampledAcceptance { get; set; }
    public int SampleEvery { get; set; }

    public AuthenticationHeaderValue AuthOf(int voter) => _auth[voter];

    /// <summary>The voter's requests from now on carry <paramref name="accessToken"/> (a renewed token).</summary>
    public void ReplaceToken(int voter, string accessToken) =>
        Volatile.Write(ref _auth[voter], new AuthenticationHeaderValue("Bearer", accessToken));

    /// <summary>Takes a voter who has not voted yet (or -1 when all have).</summary>
    public int TakeFresh()
    {
        var voter = Interlocked.Increment(ref _nextFresh) - 1;
        return voter < Count ? voter : -1;
    }

    /// <summary>
    /// One vote: a change by a voter whose vote was accepted when <paramref name="change"/> (falls back to a first
    /// vote when nobody is waiting to change), otherwise a first vote (falls back to a change when the pool is used up).
    /// </summary>
    public async Task<Outcome> CastAsync(bool change, CancellationToken ct)
    {
        int voter;
        if (change && _changeable.TryDequeue(out voter))
        {
        }
        else if ((voter = TakeFresh()) >= 0)
        {
            change = false;
        }
        else if (_changeable.TryDequeue(out voter))
        {
            change = true;
            Interlocked.Increment(ref _extraChanges);
        }
        else
        {
            return Outcome.Failure("no-voter-left");
        }

        var last = Volatile.Read(ref _lastBody[voter]);
        var body = change ? (last + 1 + voter % (_bodies.Length - 1)) % _bodies.Length : voter % _bodies.Length;
        using var request = new HttpRequestMessage(HttpMethod.Post, _votesPath);
        request.Content = new ByteArrayContent(_bodies[body]) { Headers = { ContentType = JsonType } };
        request.Headers.Authorization = Volatile.Read(ref _auth[voter]);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch
        {
            Volatile.Write(ref _uncertain[voter], 1);   // sent, answer lost: the vote may or may not be stored
            throw;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            if (status != 202)
            {
                if (status >= 500)
                {
                    Volatile.Write(ref _uncertain[voter], 1);
                }
                return Outcome.Failure(ErrorKinds.Http(status));
            }
            Volatile.Write(ref _lastBody[voter], body);
            Interlocked.Increment(ref _accepted[voter]);
            Interlocked.Increment(ref change ? ref _changes : ref _firstVotes);
            if (!change && SampleEvery > 0 && voter % SampleEvery == 0 && OnSampledAcceptance is { } sampled)
            {
                var acceptedAt = Clock.Now;
                using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(ct));
                sampled(json.RootElement.GetProperty("receiptHash").GetString()!, acceptedAt);
            }
            if (!change || Volatile.Read(ref _nextFresh) >= Count)
            {
                _changeable.Enqueue(voter);
            }
            return Outcome.Success;
        }
    }

    /// <summary>What the tally must show if nothing is lost or doubled.</summary>
    public Expectation Expect()
    {
        var perOption = new Dictionary<Guid, long>();
        long distinct = 0, uncertainAccepted = 0, uncertainOnly = 0;
        for (var v = 0; v < Count; v++)
        {
            var uncertain = Volatile.Read(ref _uncertain[v]) == 1;
            if (Volatile.Read(ref _accepted[v]) == 0)
            {
                uncertainOnly += uncertain ? 1 : 0;
                continue;
            }
            distinct++;
            if (uncertain)
            {
                uncertainAccepted++;   // a later, unanswered change may or may not have replaced the accepted choice
                continue;
            }
            foreach (var option in ChoiceSets[_lastBody[v]])
            {
                perOption[option] = perOption.GetValueOrDefault(option) + 1;
            }
        }
        return new Expectation(distinct, FirstVotes + Changes, perOption, uncertainAccepted, uncertainOnly);
    }

    /// <param name="DistinctVoters">Voters with at least one 202: the votes the tally must count.</param>
    /// <param name="Accepted">All 202 responses (first votes and changes).</param>
    /// <param name="UncertainAccepted">Accepted voters whose later change got no clear answer (excluded from per-option checks).</param>
    /// <param name="UncertainOnly">Voters whose only attempt got no clear answer: they may legitimately be counted.</param>
    public sealed record Expectation(long DistinctVoters, long Accepted, IReadOnlyDictionary<Guid, long> PerOption,
        long UncertainAccepted, long UncertainOnly);
}
