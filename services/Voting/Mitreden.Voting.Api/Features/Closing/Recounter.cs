using System.Security.Cryptography;
using System.Text;
using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Domain;
using Npgsql;

namespace Mitreden.Voting.Api.Features.Closing;

public sealed record RecountResult(Tally Tally, long Votes, string Digest);

/// <summary>
/// Recomputes a ballot's tally from all stored current votes with the method's own counting function
/// (<see cref="VoteRules.Apply"/>), streaming, and computes the digest of the vote set: SHA-256 over the lines
/// "voterKeyHex;canonicalChoices;sequence\n" sorted by voter key. Anyone holding an export of the vote set can
/// recompute both.
/// </summary>
public static class Recounter
{
    public static async Task<RecountResult> RecountAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, BallotSnapshot ballot,
        CancellationToken ct)
    {
        var tally = new Tally();
        using var digest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long votes = 0;
        await using var command = new NpgsqlCommand(
            "SELECT voter_key, choices, sequence FROM current_votes WHERE ballot_id = $1 ORDER BY voter_key", connection, tx);
        command.Parameters.Add(new NpgsqlParameter { Value = ballot.Id });
        await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct))
        {
            var voterKey = Convert.ToHexStringLower((byte[])reader.GetValue(0));
            var choices = reader.GetString(1);
            var sequence = reader.GetInt64(2);
            VoteRules.Apply(ballot.Rules, Choices.Parse(choices), +1, tally);
            digest.AppendData(Encoding.UTF8.GetBytes($"{voterKey};{choices};{sequence}\n"));
            votes++;
        }
        return new RecountResult(tally, votes, Convert.ToHexStringLower(digest.GetHashAndReset()));
    }
}
