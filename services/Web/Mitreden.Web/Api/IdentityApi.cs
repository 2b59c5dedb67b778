using Microsoft.Extensions.Options;
using System.Text.Json.Serialization;
using Mitreden.Identity.Contracts.Http;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Api;

public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string? TokenType);

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

    public Task<ApiResult<Profile>> MeAsync(CancellationToken ct) => GetAsync<Profile>("/account/me", ct);

    public Task<ApiResult<FollowView>> FollowStateAsync(Guid processId, CancellationToken ct) =>
        GetAsync<FollowView>($"/account/me/follows/{processId}", ct);

    public Task<ApiResult<FollowView>> FollowAsync(Guid processId, bool follow, CancellationToken ct) => follow
        ? PutAsync<FollowView>($"/account/me/follows/{processId}", null, ct)
        : DeleteAsync<FollowView>($"/account/me/follows/{processId}", ct);

    public Task<ApiResult<SettingsView>> NotificationSettingsAsync(CancellationToken ct) =>
        GetAsync<SettingsView>("/account/me/notification-settings", ct);

    public Task<ApiResult<SettingsView>> SaveNotificationSettingsAsync(IReadOnlyDictionary<string, string> settings, CancellationToken ct) =>
        PutAsync<SettingsView>("/account/me/notification-settings", new SettingsRequest(settings), ct);

    public Task<ApiResult<Done>> ResendConfirmationAsync(string email, CancellationToken ct) =>
        PostAsync<Done>("/account/confirm-email/resend", new EmailRequest(email), ct);

    protected override string PersonalDataPath => "/account/me/export";

    public Task<ApiResult<Done>> DeleteAccountAsync(string password, CancellationToken ct) =>
        SendAsync<Done>(WithJson(HttpMethod.Delete, "/account/me", new DeleteAccountRequest(password)), ct);

    // Staff and admin ----------------------------------------------------------------------------

    public Task<(ApiFile? File, ApiProblem? Problem)> CreateLetterCodesAsync(string district, int count, CancellationToken ct) =>
        DownloadAsync(WithJson(HttpMethod.Post, "/admin/letter-code-batches", new CreateBatchRequest(district, count)), ct);

    public Task<ApiResult<List<BatchView>>> LetterCodeBatchesAsync(CancellationToken ct) =>
        GetAsync<List<BatchView>>("/admin/letter-code-batches", ct);

    public Task<(ApiFile? File, ApiProblem? Problem)> CreateVotingCodesAsync(string name, int count, CancellationToken ct) =>
        DownloadAsync(WithJson(HttpMethod.Post, "/admin/voting-code-groups", new CreateGroupRequest(name, count)), ct);

    public Task<ApiResult<List<GroupView>>> VotingCodeGroupsAsync(CancellationToken ct) =>
        GetAsync<List<GroupView>>("/admin/voting-code-groups", ct);

    public Task<ApiResult<UserView>> UserAsync(Guid id, CancellationToken ct) => GetAsync<UserView>($"/admin/users/{id}", ct);

    /// <summary>Users by part of the name, a whole email address or an id (staff and admins).</summary>
    public Task<ApiResult<UsersPage>> SearchUsersAsync(string query, int page, CancellationToken ct) =>
        GetAsync<UsersPage>(Query("/admin/users", ("q", query), ("page", page)), ct);

    // Moderators -------------------------------------------------------------------------------

    public Task<ApiResult<BlockedUsersPage>> BlockedUsersAsync(string? q, int? page, CancellationToken ct) =>
        GetAsync<BlockedUsersPage>(Query("/admin/blocks", ("q", q), ("page", page)), ct);

    public Task<ApiResult<Done>> BlockUserAsync(Guid userId, BlockRequest request, CancellationToken ct) =>
        PostAsync<Done>($"/admin/users/{userId}/block", request, ct);

    public Task<ApiResult<Done>> UnblockUserAsync(Guid userId, CancellationToken ct) => DeleteAsync<Done>($"/admin/users/{userId}/block", ct);

    public Task<ApiResult<Done>> SetRoleAsync(Guid id, string role, bool granted, CancellationToken ct) =>
        granted ? PutAsync<Done>($"/admin/users/{id}/roles/{role}", null, ct) : DeleteAsync<Done>($"/admin/users/{id}/roles/{role}", ct);
}
