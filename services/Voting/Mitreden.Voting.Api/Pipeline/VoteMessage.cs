using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mitreden.Voting.Api.Pipeline;

/// <summary>
/// One vote as it travels through the votes queue. It carries the pseudonymous voter key, never the account id,
/// and the voter's district from the token (for per-district exports).
/// </summary>
public sealed record VoteMessage(
    [property: JsonPropertyName("voteId")] Guid VoteId,
    [property: JsonPropertyName("ballotId")] Guid BallotId,
    [property: JsonPropertyName("voterKey")] string VoterKey,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("choices")] string Choices,
    [property: JsonPropertyName("district")] string? District)
{
    private static readonly JsonSerializerOptions Json = new() { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Null when the body is not a vote message.</summary>
    public static VoteMessage? TryParse(ReadOnlySpan<byte> body)
    {
        try
        {
            var message = JsonSerializer.Deserialize<VoteMessage>(body, Json);
            return IsValid(message) ? message : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The votes of one broker message: one vote message, or a JSON array of them (the publisher coalesces votes
    /// that wait at the same time). Null when the body is neither, the array is empty or any element is not a vote.
    /// </summary>
    public static IReadOnlyList<VoteMessage>? TryParseMany(ReadOnlySpan<byte> body)
    {
        var start = body.TrimStart(" \t\r\n"u8);
        if (start.IsEmpty || start[0] != (byte)'[')
        {
            return TryParse(body) is { } one ? [one] : null;
        }
        try
        {
            var messages = JsonSerializer.Deserialize<VoteMessage?[]>(body, Json);
            return messages is { Length: > 0 } && messages.All(IsValid) ? messages.Select(m => m!).ToArray() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsValid([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] VoteMessage? message) =>
        message is { VoteId: var id, BallotId: var ballot, VoterKey.Length: 64, Sequence: > 0, Choices: not null }
        && id != Guid.Empty && ballot != Guid.Empty && message.VoterKey.All(char.IsAsciiHexDigitLower);

    public string ReceiptHash => Receipts.Hash(BallotId, VoterKey, Sequence, Choices);
}

public static class Receipts
{
    /// <summary>
    /// SHA-256 (lower-case hex) over "ballotId|voterKey|sequence|canonical choices". The voter keeps it; it proves
    /// that this exact vote is counted, and reveals nothing without the voter key (which needs the server secret).
    /// </summary>
    public static string Hash(Guid ballotId, string voterKeyHex, long sequence, string canonicalChoices) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{ballotId:N}|{voterKeyHex}|{sequence}|{canonicalChoices}")));
}

/// <summary>
/// Sequence numbers of accepted votes: microseconds since the Unix epoch, made strictly increasing within this
/// process (a second vote in the same microsecond gets the next number). The newest vote of a voter is the one
/// with the highest sequence; equal sequences from two instances are ordered by vote id. Instances are assumed to
/// have clocks synchronised (NTP) well below the time a person needs to vote twice.
/// </summary>
public static class VoteSequence
{
    private static long _last;

    public static long Next(TimeProvider time)
    {
        var now = ToMicros(time.GetUtcNow());
        while (true)
        {
            var last = Volatile.Read(ref _last);
            var next = Math.Max(now, last + 1);
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }

    public static long ToMicros(DateTimeOffset at) => (at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset ToTime(long sequence) => DateTimeOffset.UnixEpoch.AddTicks(sequence * 10);

    /// <summary>True when (sequence a, vote a) is newer than (sequence b, vote b).</summary>
    public static bool IsNewer(long sequenceA, Guid voteA, long sequenceB, Guid voteB) =>
        sequenceA != sequenceB ? sequenceA > sequenceB : Counting.Choices.CompareIds(voteA, voteB) > 0;
}

public static class VoteIds
{
    /// <summary>
    /// The vote id of a request with an Idempotency-Key: a UUID (version 8) from SHA-256(voter key ‖ key), so a
    /// retry has the same id and the consumer drops the copy even when Redis could not answer the retry.
    /// </summary>
    public static Guid FromIdempotencyKey(byte[] voterKey, string idempotencyKey)
    {
        var input = new byte[voterKey.Length + Encoding.UTF8.GetByteCount(idempotencyKey)];
        voterKey.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(idempotencyKey, input.AsSpan(voterKey.Length));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
