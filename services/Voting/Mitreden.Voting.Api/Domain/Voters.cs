using System.Security.Claims;
using System.Security.Cryptography;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.Voting.Api.Data;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Domain;

/// <summary>The pseudonymous voter key: HMAC-SHA256(Voting:VoterKeySecret, account id ‖ ballot id), 32 bytes.</summary>
public sealed class VoterKeys(VotingOptions options)
{
    public byte[] For(Guid userId, Guid ballotId)
    {
        Span<byte> input = stackalloc byte[32];
        userId.TryWriteBytes(input[..16], bigEndian: true, out _);
        ballotId.TryWriteBytes(input[16..], bigEndian: true, out _);
        return HMACSHA256.HashData(options.VoterKeySecret, input);
    }

    public static string Hex(byte[] key) => Convert.ToHexStringLower(key);

    /// <summary>
    /// The key that turns voter keys into the pseudonyms of one ballot's exports. Exports never show the voter key
    /// itself: with it, a voter could recompute their receipt hash for each row and point out their own row to a
    /// vote buyer. The pseudonym is SHA-256(export key ‖ voter key), cut to 16 bytes, computed in PostgreSQL so that
    /// rows stream out ordered by it (an order unrelated to time).
    /// </summary>
    public byte[] ExportKey(Guid ballotId)
    {
        Span<byte> input = stackalloc byte[32];
        "export-pseudonym"u8.CopyTo(input);
        ballotId.TryWriteBytes(input[16..], bigEndian: true, out _);
        return HMACSHA256.HashData(options.VoterKeySecret, input);
    }

    /// <summary>The export pseudonym of a voter key (the same function as the export's SQL, for checks).</summary>
    public static string ExportPseudonym(byte[] exportKey, byte[] voterKey) =>
        Convert.ToHexStringLower(SHA256.HashData([.. exportKey, .. voterKey])[..16]);
}

/// <summary>Who may vote in a ballot. A refusal says why, in words a citizen understands.</summary>
public static class Eligibility
{
    public sealed record Refusal(string Reason, string Message);

    public static Refusal? Check(BallotSnapshot ballot, ClaimsPrincipal user) =>
        Check(ballot.Eligibility, ballot.EligibleDistrict, ballot.VotingGroupId, ballot.VotingGroupName, user);

    /// <summary>The same rule for anything with an eligibility of its own (ballots, surveys).</summary>
    public static Refusal? Check(EligibilityKind kind, string? eligibleDistrict, Guid? votingGroupId, string? votingGroupName, ClaimsPrincipal user)
    {
        var verification = user.Verification();
        switch (kind)
        {
            case EligibilityKind.Verified when verification is not ("email" or "resident"):
                return new Refusal("verification-required",
                    "Diese Abstimmung verlangt ein bestätigtes Konto. Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse.");
            case EligibilityKind.Resident when verification != "resident":
                return new Refusal("residence-required", eligibleDistrict is { } d
                    ? $"Diese Abstimmung verlangt eine bestätigte Wohnadresse im Stadtteil {Districts.DisplayName(d)}."
                    : "Diese Abstimmung verlangt eine bestätigte Wohnadresse in der Stadt.");
            case EligibilityKind.Resident when eligibleDistrict is { } district
                                               && !string.Equals(user.District(), district, StringComparison.OrdinalIgnoreCase):
                return new Refusal("district-mismatch",
                    $"Diese Abstimmung verlangt eine bestätigte Wohnadresse im Stadtteil {Districts.DisplayName(district)}.");
            case EligibilityKind.VotingGroup:
                if (!user.IsInRole(MitredenRoles.CodeVoter) || VotingGroup(user) is not { } group || group != votingGroupId)
                {
                    return new Refusal("voting-group-required",
                        $"Diese Abstimmung ist nur für die Gruppe „{votingGroupName ?? "mit Abstimmungscode"}“ offen. Bitte lösen Sie Ihren Abstimmungscode ein.");
                }
                return null;
            default:
                return null;
        }
    }

    public static Guid? VotingGroup(ClaimsPrincipal user) => Guid.TryParse(user.VotingGroup(), out var group) ? group : null;
}

public static class Districts
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mitte"] = "Mitte",
        ["nord"] = "Nord",
        ["sued"] = "Süd",
        ["ost"] = "Ost",
        ["west"] = "West",
    };

    public static string DisplayName(string slug) =>
        Names.TryGetValue(slug, out var name) ? name : slug.Length > 0 ? char.ToUpperInvariant(slug[0]) + slug[1..] : slug;
}
