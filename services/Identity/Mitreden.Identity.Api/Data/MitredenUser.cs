using Microsoft.AspNetCore.Identity;
using Mitreden.Identity.Contracts;

namespace Mitreden.Identity.Api.Data;

/// <summary>
/// An account. <see cref="IdentityUser{TKey}.UserName"/> holds the id (never the email), so nothing but the
/// user-chosen <see cref="DisplayName"/> can appear next to the user's content elsewhere.
/// </summary>
public sealed class MitredenUser : IdentityUser<Guid>
{
    public const int DisplayNameMaxLength = 50;

    public required string DisplayName { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>District slug once the user redeemed a letter code; null otherwise.</summary>
    public string? ResidentDistrict { get; set; }

    public DateTimeOffset? ResidentSince { get; set; }

    /// <summary>The level carried in tokens: resident (letter code) over email (confirmed) over none.</summary>
    public string Verification => VerificationOf(ResidentDistrict, EmailConfirmed);

    /// <summary><see cref="Verification"/> from the two columns it depends on (for queries that read no whole user).</summary>
    public static string VerificationOf(string? residentDistrict, bool emailConfirmed) =>
        residentDistrict is not null ? VerificationLevels.Resident
        : emailConfirmed ? VerificationLevels.Email
        : VerificationLevels.None;
}

/// <summary>The four roles exist from the first migration on, with fixed ids.</summary>
public static class SeededRoles
{
    public static readonly IdentityRole<Guid>[] All =
    [
        Role("00000000-0000-0000-0000-0000000000a1", Roles.Citizen),
        Role("00000000-0000-0000-0000-0000000000a2", Roles.Moderator),
        Role("00000000-0000-0000-0000-0000000000a3", Roles.Staff),
        Role("00000000-0000-0000-0000-0000000000a4", Roles.Admin),
    ];

    public static Guid IdOf(string role) =>
        All.FirstOrDefault(r => r.Name == role)?.Id ?? throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role.");

    private static IdentityRole<Guid> Role(string id, string name) => new()
    {
        Id = Guid.Parse(id),
        Name = name,
        NormalizedName = name.ToUpperInvariant(),
        ConcurrencyStamp = id, // fixed, so the model snapshot does not change on every build
    };
}
