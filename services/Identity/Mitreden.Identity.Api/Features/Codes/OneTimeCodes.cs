using System.Security.Cryptography;
using System.Text;

namespace Mitreden.Identity.Api.Features.Codes;

/// <summary>
/// Codes printed on letters and handed out on paper: 12 characters from an alphabet without look-alikes
/// (no I, O, 0, 1), grouped ABCD-EFGH-JKLM; 60 bits. Only keyed hashes are stored: HMAC-SHA256 with a key derived
/// from the per-batch salt and Identity's pepper, so lookup is by hash and a database dump alone reveals nothing.
/// </summary>
public static class OneTimeCodes
{
    public const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    public const int Length = 12;

    public static string Generate()
    {
        var raw = RandomNumberGenerator.GetString(Alphabet, Length);
        return $"{raw[..4]}-{raw[4..8]}-{raw[8..]}";
    }

    /// <summary>Upper case without spaces and dashes; null when it cannot be a code.</summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrEmpty(input) || input.Length > 64)
        {
            return null;
        }
        var builder = new StringBuilder(Length);
        foreach (var c in input)
        {
            if (c is ' ' or '-' or '\t')
            {
                continue;
            }
            var upper = char.ToUpperInvariant(c);
            if (!Alphabet.Contains(upper))
            {
                return null;
            }
            builder.Append(upper);
        }
        return builder.Length == Length ? builder.ToString() : null;
    }

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(32);

    public static byte[] BatchKey(byte[] pepper, byte[] salt) => HMACSHA256.HashData(pepper, salt);

    public static byte[] Hash(byte[] batchKey, string normalizedCode) =>
        HMACSHA256.HashData(batchKey, Encoding.ASCII.GetBytes(normalizedCode));

    /// <summary>The hash of <paramref name="normalizedCode"/> under each salt (one per batch or group).</summary>
    public static byte[][] Candidates(byte[] pepper, IEnumerable<byte[]> salts, string normalizedCode) =>
        salts.Select(salt => Hash(BatchKey(pepper, salt), normalizedCode)).ToArray();
}
