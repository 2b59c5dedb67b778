using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Tokens;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.ServiceDefaults.Configuration;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Mitreden.Identity.Api.Features.SignIn;

/// <summary>
/// Identity's own sign-in session: a cookie of Identity (not the web's), set by its sign-in or voting-code page and read
/// by the authorization endpoint, which turns it into a code for the web. It names a subject and its kind only: the
/// claims of an account are read afresh at each authorization. Ends at sign-out (the end-session endpoint) or after
/// <see cref="IdleTimeout"/> without use.
/// </summary>
public static class SignInSession
{
    public const string Scheme = "IdentitySession";
    public const string CookieName = "mitreden.identity";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    private const string KindClaim = "kind";
    /// <summary>The account's security stamp at sign-in: a new password (reset) changes it and so ends the session everywhere.</summary>
    private const string StampClaim = "stamp";
    private const string AccountKind = "account";
    private const string CodeVoterKind = "voting-code";

    /// <summary>Browser paths (through the gateway) of Identity's pages and of the web's sign-in starts.</summary>
    public const string SignInPage = "/konto/anmelden";
    public const string VotingCodePage = "/abstimmungscode";
    public const string LanguagePage = "/konto/anmelden/sprache";
    public const string RegisterPage = "/konto/registrieren";
    public const string ConfirmEmailPage = "/konto/email-bestaetigen";
    public const string ForgotPasswordPage = "/konto/passwort-vergessen";
    public const string ResetPasswordPage = "/konto/passwort-zuruecksetzen";
    public const string ResidencyPage = "/konto/wohnsitz";
    /// <summary>The web's account page: where the account pages lead back to by default.</summary>
    public const string WebAccountPage = "/konto";
    public const string WebSignInStart = "/anmelden";
    public const string WebVotingCodeStart = "/anmelden/abstimmungscode";

    /// <summary>What the web asks for in the authorization request (mitreden_entry): which page comes first.</summary>
    public const string EntryParameter = "mitreden_entry";
    public const string VotingCodeEntry = "voting-code";

    public static ClaimsPrincipal ForAccount(MitredenUser user) =>
        Principal(new Claim(Claims.Subject, user.Id.ToString()), new Claim(KindClaim, AccountKind), new Claim(StampClaim, user.SecurityStamp ?? ""));

    public static ClaimsPrincipal ForCodeVoter(TokenClaims code) =>
        Principal(new Claim(Claims.Subject, code.Subject!), new Claim(KindClaim, CodeVoterKind),
            new Claim(MitredenClaimTypes.VotingGroup, code.VotingGroup?.ToString() ?? ""));

    private static ClaimsPrincipal Principal(params Claim[] claims) =>
        new(new ClaimsIdentity(claims, authenticationType: Scheme, nameType: Claims.Subject, roleType: Claims.Role));

    public static bool IsCodeVoter(ClaimsPrincipal session) => session.FindFirst(KindClaim)?.Value == CodeVoterKind;

    /// <summary>
    /// The claims the session stands for now, or null when it stands for nothing any more (account deleted, or a new
    /// password since): an account's roles, verification, district and block as they are; a code voter's group as redeemed.
    /// </summary>
    public static async Task<TokenClaims?> ClaimsAsync(ClaimsPrincipal session, IdentityDb db, string clientId, DateTimeOffset now, CancellationToken ct)
    {
        var subject = session.FindFirst(Claims.Subject)?.Value;
        if (IsCodeVoter(session))
        {
            return subject is null ? null : new TokenClaims
            {
                Subject = subject,
                Roles = [TokenClaims.CodeVoterRole],
                Verification = TokenClaims.CodeVerification,
                ClientId = clientId,
                VotingGroup = Guid.TryParse(session.FindFirst(MitredenClaimTypes.VotingGroup)?.Value, out var group) ? group : null,
            };
        }
        var user = await AccountOfAsync(session, db, ct);
        return user is null ? null : await TokenClaims.ForAccountAsync(db, user.Id, clientId, now, ct);
    }

    /// <summary>
    /// The account the session stands for, or null: no session, a code voter's, the account deleted, or its password set
    /// anew since the sign-in (a reset ends every sign-in, Identity's own sessions too).
    /// </summary>
    public static async Task<MitredenUser?> AccountOfAsync(ClaimsPrincipal? session, IdentityDb db, CancellationToken ct)
    {
        if (session is null || IsCodeVoter(session) || !Guid.TryParse(session.FindFirst(Claims.Subject)?.Value, out var id))
        {
            return null;
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        return user is not null && session.FindFirst(StampClaim)?.Value == (user.SecurityStamp ?? "") ? user : null;
    }

    /// <summary>
    /// The public address (through the gateway) of an authorization request, for coming back to it after a page: the
    /// issuer's path + the endpoint + the request's parameters.
    /// </summary>
    public static string AuthorizeUrl(IConfiguration configuration, OpenIddictRequest request)
    {
        var parameters = request.GetParameters()
            .Select(p => new KeyValuePair<string, string?>(p.Key, (string?)p.Value));
        return IssuerPath(configuration) + TokenServer.AuthorizePath + QueryString.Create(parameters);
    }

    /// <summary>Whether a return address is an authorization request of this Identity (nothing else is followed).</summary>
    public static bool IsAuthorizeUrl(IConfiguration configuration, string? url) =>
        url is not null && url.StartsWith(IssuerPath(configuration) + TokenServer.AuthorizePath + "?", StringComparison.Ordinal)
        && !url.Contains("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal);

    /// <summary>
    /// Where a page reached without an authorization request sends the browser: the web's sign-in start, with the
    /// return address when it is a local one (old links such as /konto/anmelden?returnUrl=/konto keep working).
    /// </summary>
    public static string WebStart(string start, string? returnUrl) =>
        IsLocal(returnUrl) ? $"{start}?returnUrl={Uri.EscapeDataString(returnUrl!)}" : start;

    /// <summary>
    /// Where an account page (registration, confirmation, new password, residency) leads on: back into an authorization
    /// request it was reached from (through the sign-in page), else into the web through its sign-in start, which returns to
    /// the local return address (the account page by default) with fresh tokens; Identity's session, when there is one,
    /// answers that sign-in at once, so a changed verification reaches the web's session without a password.
    /// </summary>
    public static string ContinueUrl(IConfiguration configuration, string? returnUrl) =>
        IsAuthorizeUrl(configuration, returnUrl)
            ? $"{SignInPage}?returnUrl={Uri.EscapeDataString(returnUrl!)}"
            : WebStart(WebSignInStart, IsLocal(returnUrl) ? returnUrl : WebAccountPage);

    /// <summary>A return address to pass on from page to page: an authorization request of this Identity or a local path, else none.</summary>
    public static string? PassOn(IConfiguration configuration, string? returnUrl) =>
        IsAuthorizeUrl(configuration, returnUrl) || IsLocal(returnUrl) ? returnUrl : null;

    /// <summary>Link to one of Identity's pages, with the return address when there is one to pass on.</summary>
    public static string PageLink(IConfiguration configuration, string page, string? returnUrl) =>
        PassOn(configuration, returnUrl) is { } passOn ? $"{page}?returnUrl={Uri.EscapeDataString(passOn)}" : page;

    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || url[1] is not ('/' or '\\')) && !url.Any(char.IsControl);

    private static string IssuerPath(IConfiguration configuration) =>
        new Uri(configuration.GetRequired("Auth:Issuer"), UriKind.Absolute).AbsolutePath.TrimEnd('/');

    public static Task SignInAsync(HttpContext http, ClaimsPrincipal principal) =>
        http.SignInAsync(Scheme, principal, new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
}
