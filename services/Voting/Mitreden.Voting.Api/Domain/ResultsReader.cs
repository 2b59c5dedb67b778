using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;
using Npgsql;

namespace Mitreden.Voting.Api.Domain;

/// <summary>Reads tallies (live, from the consumer's table) and in-person totals; results are kept ~250 ms in memory.</summary>
public sealed class ResultsReader(NpgsqlDataSource dataSource, VotingOptions options, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, ResultsView View)> _cache = new();

    public void Invalidate(Guid ballotId) => _cache.TryRemove(ballotId, out _);

    public async Task<ResultsView> GetAsync(BallotSnapshot ballot, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_cache.TryGetValue(ballot.Id, out var cached) && now - cached.At < options.ResultsCacheTime && cached.View.State == ballot.StateAt(now))
        {
            return cached.View;
        }
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var online = await ReadTallyAsync(connection, null, ballot.Id);
        var (inPerson, participants) = await ReadInPersonAsync(connection, null, ballot.Id);
        var view = BallotResults.Compute(ballot, online, inPerson, participants, now);
        _cache[ballot.Id] = (now, view);
        return view;
    }

    public static async Task<Tally> ReadTallyAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, Guid ballotId)
    {
        var tally = new Tally();
        using var grid = await connection.QueryMultipleAsync("""
            SELECT option_id, score, votes FROM tallies WHERE ballot_id = @id;
            SELECT winner_id, loser_id, count FROM pairwise_tallies WHERE ballot_id = @id;
            SELECT voters FROM ballot_counters WHERE ballot_id = @id;
            """, new { id = ballotId }, tx);
        foreach (var (option, score, votes) in await grid.ReadAsync<(Guid, long, long)>())
        {
            tally.Add(option, score, votes);
        }
        foreach (var (winner, loser, count) in await grid.ReadAsync<(Guid, Guid, long)>())
        {
            tally.AddPair(winner, loser, count);
        }
        tally.Voters = await grid.ReadSingleOrDefaultAsync<long?>() ?? 0;
        return tally;
    }

    /// <summary>Sums of the in-person entries that are not superseded, and their participants.</summary>
    public static async Task<(Dictionary<Guid, decimal> Totals, long Participants)> ReadInPersonAsync(NpgsqlConnection connection,
        NpgsqlTransaction? tx, Guid ballotId)
    {
        var totals = new Dictionary<Guid, decimal>();
        long participants = 0;
        var rows = await connection.QueryAsync<(string Lines, int? Participants)>(
            "SELECT lines::text, participants FROM in_person_entries WHERE ballot_id = @id AND superseded_by_id IS NULL",
            new { id = ballotId }, tx);
        foreach (var (lines, count) in rows)
        {
            foreach (var line in JsonSerializer.Deserialize<List<InPersonLine>>(lines, Json) ?? [])
            {
                totals[line.OptionId] = totals.GetValueOrDefault(line.OptionId) + line.Value;
            }
            participants += count ?? 0;
        }
        return (totals, participants);
    }
}
