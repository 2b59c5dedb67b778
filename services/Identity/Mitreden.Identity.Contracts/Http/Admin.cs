namespace Mitreden.Identity.Contracts.Http;

// Staff, moderator and admin HTTP types (/admin/...), owned by Identity and read by the web (additive changes only).

/// <param name="AssignableRoles">The roles the caller may grant and revoke: staff citizen and moderator, admins every role.</param>
public sealed record UserView(Guid Id, string DisplayName, bool EmailConfirmed, IReadOnlyList<string> Roles, string Verification,
    string? District, BlockView? Block, DateTimeOffset CreatedAt, DateTimeOffset? LockoutEnd, IReadOnlyList<string> AssignableRoles);

public sealed record UserSummary(Guid Id, string DisplayName, IReadOnlyList<string> Roles);

public sealed record UsersPage(IReadOnlyList<UserSummary> Items, int Page, int PageSize, int Total);

public sealed record RolesView(Guid UserId, IReadOnlyList<string> Roles);

public sealed record BlockRequest(DateTimeOffset Until, string Reason);

public sealed record BlockResponse(Guid UserId, DateTimeOffset Until, string Reason);

public sealed record BlockedUserView(Guid UserId, string DisplayName, DateTimeOffset Until, string Reason, DateTimeOffset BlockedAt,
    Guid? BlockedBy);

public sealed record BlockedUsersPage(IReadOnlyList<BlockedUserView> Items, int Page, int PageSize, int Total);

public sealed record CreateBatchRequest(string District, int Count);

/// <summary>A batch of residence letter codes.</summary>
public sealed record BatchView(Guid Id, string District, int CodeCount, int RedeemedCodes, DateTimeOffset CreatedAt, Guid CreatedBy);

public sealed record RedeemRequest(string Code);

public sealed record RedeemResponse(string Verification, string District);

public sealed record CreateGroupRequest(string Name, int Count);

/// <summary>A group of voting codes.</summary>
public sealed record GroupView(Guid Id, string Name, int CodeCount, int UsedCodes, DateTimeOffset CreatedAt, Guid CreatedBy);
