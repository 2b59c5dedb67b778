namespace Mitreden.ServiceDefaults.Auth;

/// <summary>Claim names as they appear in Mitreden tokens and on the validated principal.</summary>
public static class MitredenClaimTypes
{
    public const string Subject = "sub";
    public const string Roles = "roles";
    public const string Verification = "verification";
    public const string District = "district";
    public const string Name = "name";
    public const string ClientId = "client_id";
    public const string TokenId = "jti";
    /// <summary>Unix seconds when the token was issued (e.g. to tell whether an unblock came after it).</summary>
    public const string IssuedAt = "iat";
    /// <summary>Voting-code tokens: the closed group (e.g. council members) whose ballots the holder may vote in.</summary>
    public const string VotingGroup = "voting_group";
    /// <summary>Unix seconds until which the account is blocked from posting; absent when not blocked.</summary>
    public const string BlockedUntil = "blocked_until";
}

/// <summary>Role values carried in the "roles" claim.</summary>
public static class MitredenRoles
{
    public const string Citizen = "citizen";
    public const string Moderator = "moderator";
    public const string Staff = "staff";
    public const string Admin = "admin";
    public const string Service = "service";
    /// <summary>Holder of a voting code, without an account.</summary>
    public const string CodeVoter = "code-voter";
}

/// <summary>Authorization policy names registered by <see cref="AuthExtensions.AddMitredenAuthentication"/>.</summary>
public static class AuthPolicies
{
    /// <summary>A signed-in account holder (any role). Holders of voting codes are not: they have no account.</summary>
    public const string Citizen = "citizen";
    /// <summary>Anyone who may cast a vote: an account holder or the holder of a voting code.</summary>
    public const string Voter = "voter";
    public const string Moderator = "moderator";
    public const string Staff = "staff";
    public const string Admin = "admin";
    public const string Service = "service";
}
