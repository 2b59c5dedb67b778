namespace Mitreden.Identity.Contracts;

/// <summary>Verification levels carried in tokens and events.</summary>
public static class VerificationLevels
{
    public const string None = "none";
    public const string Email = "email";
    public const string Resident = "resident";
}

public static class Roles
{
    public const string Citizen = "citizen";
    public const string Moderator = "moderator";
    public const string Staff = "staff";
    public const string Admin = "admin";
    public static readonly IReadOnlyList<string> All = [Citizen, Moderator, Staff, Admin];
}

public record UserRegistered(Guid UserId, string DisplayName, DateTimeOffset RegisteredAt);

/// <param name="District">District slug for verified residents, otherwise null.</param>
public record UserVerified(Guid UserId, string Verification, string? District, DateTimeOffset VerifiedAt);

public record UserBlocked(Guid UserId, DateTimeOffset Until, string Reason, Guid? BlockedBy, DateTimeOffset BlockedAt);

public record UserUnblocked(Guid UserId, DateTimeOffset UnblockedAt);

/// <summary>The account is gone; other services replace the author by "deleted user". Votes stay counted.</summary>
public record UserDeleted(Guid UserId, DateTimeOffset DeletedAt);

public record UserDisplayNameChanged(Guid UserId, string DisplayName, DateTimeOffset ChangedAt);

/// <summary>Command to Identity: block a user for a period (sent by Moderation).</summary>
public record BlockUser(Guid UserId, DateTimeOffset Until, string Reason, Guid ModeratorId, Guid DecisionId);
