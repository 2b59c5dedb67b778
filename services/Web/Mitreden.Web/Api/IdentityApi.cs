using Microsoft.Extensions.Options;
using System.Text.Json.Serialization;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Api;

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

public sealed record AccountBlock(DateTimeOffset Until, string Reason);

public sealed record AccountInfo(Guid Id, string DisplayName, string? Email, bool EmailConfirmed, IReadOnlyList<string> Roles,
    string Verification, string? District, DateTimeOffset? ResidentSince, AccountBlock? Block, DateTimeOffset CreatedAt);

public sealed record LetterCodeBatch(Guid Id, string District, int CodeCount, int RedeemedCodes, DateTimeOffset CreatedAt);

public sealed record VotingCodeGroup(Guid Id, string Name, int CodeCount, int UsedCodes, DateTimeOffset CreatedAt);

/// <param name="AssignableRoles">The roles the signed-in person may grant and revoke (Identity's rule).</param>
public sealed record AdminUser(Guid Id, string DisplayName, bool EmailConfirmed, IReadOnlyList<string> Roles, string Verification, string? District,
    IReadOnlyList<string>? AssignableRoles = null);

public sealed record UserSummary(Guid Id, string DisplayName, IReadOnlyList<string> Roles);

public sealed record UsersPage(IReadOnlyList<UserSummary> Items, int Page, int PageSize, int Total);

public sealed record BlockedUser(Guid UserId, string DisplayName, DateTimeOffset Until, string Reason, DateTimeOffset BlockedAt, Guid? BlockedBy);

public sealed record BlockedUsersPage(IReadOnlyList<BlockedUser> Items, int Page, int PageSize, int Total);

public sealed record UserBlockRequest(DateTimeOffset Until, string Reason);

public sealed record FollowState(Guid ProcessId, bool Following);

public sealed record NotificationSetting(string Kind, string Mode, bool IsDefault);

/// <param name="DigestHour">The daily digest's hour, Berlin time.</param>
public sealed record NotificationSettings(IReadOnlyList<NotificationSetting> Settings, IReadOnlyList<string> Modes, int DigestHour,
    bool EmailConfirmed);

/// <summary>
/// Identity: the refresh of a session's tokens, the account, and the staff/admin functions. Registration, password reset,
/// email confirmation and the letter code are Identity's own pages (the browser goes there through the gateway).
/// </summary>
public sealed class IdentityApi(HttpClient http, IOptions<WebSignInOptions> signIn) : ApiClient(http, "identity")
{
    private readonly string _clientSecret = signIn.Value.ClientSecret;

    public Task<ApiResult<TokenResponse>> RefreshGrantAsync(string refreshToken, CancellationToken ct) =>
        TokenAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["client_id"] = WebSignIn.ClientId,
            ["client_secret"] = _clientSecret,
            ["refresh_token"] = refreshToken,
        }, ct);

    private Task<ApiResult<TokenResponse>> TokenAsync(Dictionary<string, string> form, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Options.Set(BackendHeadersHandler.Anonymous, true);
        return SendAsync<TokenResponse>(request, ct);
    }

    public Task<ApiResult<AccountInfo>> MeAsync(CancellationToken ct) => GetAsync<AccountInfo>("/account/me", ct);

    public Task<ApiResult<FollowState>> FollowStateAsync(Guid processId, CancellationToken ct) =>
        GetAsync<FollowState>($"/account/me/follows/{processId}", ct);

    public Task<ApiResult<FollowState>> FollowAsync(Guid processId, bool follow, CancellationToken ct) => follow
        ? PutAsync<FollowState>($"/account/me/follows/{processId}", null, ct)
        : DeleteAsync<FollowState>($"/account/me/follows/{processId}", ct);

    public Task<ApiResult<NotificationSettings>> NotificationSettingsAsync(CancellationToken ct) =>
        GetAsync<NotificationSettings>("/account/me/notification-settings", ct);

    public Task<ApiResult<NotificationSettings>> SaveNotificationSettingsAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct) =>
        PutAsync<NotificationSettings>("/account/me/notification-settings", new { settings }, ct);

    public Task<ApiResult<Done>> ResendConfirmationAsync(string email, CancellationToken ct) =>
        PostAsync<Done>("/account/confirm-email/resend", new { email }, ct);

    protected override string PersonalDataPath => "/account/me/export";

    public Task<ApiResult<Done>> DeleteAccountAsync(string password, CancellationToken ct) =>
        SendAsync<Done>(WithJson(HttpMethod.Delete, "/account/me", new { password }), ct);

    // Staff and admin ----------------------------------------------------------------------------

    public Task<(ApiFile? File, ApiProblem? Problem)> CreateLetterCodesAsync(string district, int count, CancellationToken ct) =>
        DownloadAsync(WithJson(HttpMethod.Post, "/admin/letter-code-batches", new { district, count }), ct);

    public Task<ApiResult<List<LetterCodeBatch>>> LetterCodeBatchesAsync(CancellationToken ct) =>
        GetAsync<List<LetterCodeBatch>>("/admin/letter-code-batches", ct);

    public Task<(ApiFile? File, ApiProblem? Problem)> CreateVotingCodesAsync(string name, int count, CancellationToken ct) =>
        DownloadAsync(WithJson(HttpMethod.Post, "/admin/voting-code-groups", new { name, count }), ct);

    public Task<ApiResult<List<VotingCodeGroup>>> VotingCodeGroupsAsync(CancellationToken ct) =>
        GetAsync<List<VotingCodeGroup>>("/admin/voting-code-groups", ct);

    public Task<ApiResult<AdminUser>> UserAsync(Guid id, CancellationToken ct) => GetAsync<AdminUser>($"/admin/users/{id}", ct);

    /// <summary>Users by part of the name, a whole email address or an id (staff and admins).</summary>
    public Task<ApiResult<UsersPage>> SearchUsersAsync(string query, int page, CancellationToken ct) =>
        GetAsync<UsersPage>(Query("/admin/users", ("q", query), ("page", page)), ct);

    // Moderators -------------------------------------------------------------------------------

    public Task<ApiResult<BlockedUsersPage>> BlockedUsersAsync(string? q, int? page, CancellationToken ct) =>
        GetAsync<BlockedUsersPage>(Query("/admin/blocks", ("q", q), ("page", page)), ct);

    public Task<ApiResult<Done>> BlockUserAsync(Guid userId, UserBlockRequest request, CancellationToken ct) =>
        PostAsync<Done>($"/admin/users/{userId}/block", request, ct);

    public Task<ApiResult<Done>> UnblockUserAsync(Guid userId, CancellationToken ct) => DeleteAsync<Done>($"/admin/users/{userId}/block", ct);

    public Task<ApiResult<Done>> SetRoleAsync(Guid id, string role, bool granted, CancellationToken ct) =>
        granted ? PutAsync<Done>($"/admin/users/{id}/roles/{role}", null, ct) : DeleteAsync<Done>($"/admin/users/{id}/roles/{role}", ct);
}
