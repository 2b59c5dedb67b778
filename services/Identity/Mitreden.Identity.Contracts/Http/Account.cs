namespace Mitreden.Identity.Contracts.Http;

// The account's HTTP types (/account/...), owned by Identity and read by the web (additive changes only, like the events).

public sealed record RegisterRequest(string Email, string Password, string DisplayName);

public sealed record RegisterResponse(Guid UserId);

public sealed record ConfirmEmailRequest(Guid UserId, string Token);

public sealed record EmailRequest(string Email);

public sealed record ResetPasswordRequest(Guid UserId, string Token, string NewPassword);

public sealed record BlockView(DateTimeOffset Until, string Reason);

/// <summary>The signed-in person's account.</summary>
public sealed record Profile(Guid Id, string DisplayName, string? Email, bool EmailConfirmed, IReadOnlyList<string> Roles,
    string Verification, string? District, DateTimeOffset? ResidentSince, BlockView? Block, DateTimeOffset CreatedAt);

public sealed record UpdateProfileRequest(string DisplayName);

public sealed record DeleteAccountRequest(string Password);

public sealed record FollowView(Guid ProcessId, bool Following);

public sealed record FollowsView(IReadOnlyList<Guid> ProcessIds);

public sealed record SettingView(string Kind, string Mode, bool IsDefault);

/// <param name="DigestHour">The digest's hour, Berlin time.</param>
public sealed record SettingsView(IReadOnlyList<SettingView> Settings, IReadOnlyList<string> Modes, int DigestHour, bool EmailConfirmed);

/// <param name="Settings">Kind → mode; kinds left out keep their setting.</param>
public sealed record SettingsRequest(IReadOnlyDictionary<string, string>? Settings);
