using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Contracts.Http;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Features.Account;

/// <summary>Registration, email confirmation and password reset (all anonymous), as JSON; the rules are <see cref="AccountActions"/>'.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").WithTags("Account");
        account.MapPost("/register", RegisterAsync).AllowAnonymous();
        account.MapPost("/confirm-email", ConfirmEmailAsync).AllowAnonymous();
        account.MapPost("/confirm-email/resend", ResendConfirmationAsync).AllowAnonymous();
        account.MapPost("/password-reset", RequestPasswordResetAsync).AllowAnonymous();
        account.MapPost("/password-reset/confirm", ResetPasswordAsync).AllowAnonymous();
        account.MapProfileApi();
        return app;
    }

    /// <summary>
    /// 201 with an id for a new address and for a known one alike (no account enumeration): the known address gets a
    /// mail saying that it already has an account. The password is checked against the rules and hashed either way.
    /// </summary>
    private static async Task<Results<Created<RegisterResponse>, ProblemHttpResult>> RegisterAsync(RegisterRequest request,
        HttpContext http, AccountActions accounts)
    {
        var outcome = await accounts.RegisterAsync(http, request.Email, request.Password, request.DisplayName);
        return outcome.Succeeded
            ? TypedResults.Created("/account/me", new RegisterResponse(outcome.UserId!.Value))
            : Problem(http, outcome, "");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmEmailAsync(ConfirmEmailRequest request,
        HttpContext http, AccountActions accounts)
    {
        var outcome = await accounts.ConfirmEmailAsync(http, request.UserId, request.Token);
        return outcome.Succeeded ? TypedResults.NoContent() : Problem(http, outcome, "The confirmation link is invalid or has expired.");
    }

    /// <summary>Always 202, whether or not the address has an account (429 past the limits, which count either way).</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> ResendConfirmationAsync(EmailRequest request, HttpContext http,
        AccountActions accounts) =>
        await accounts.ResendConfirmationAsync(http, request.Email) is { } wait
            ? AttemptGuard.TooMany(http, wait)
            : TypedResults.Accepted((string?)null);

    /// <summary>Always 202 (no user enumeration; 429 past the limits, which count either way); the mail goes out in the background.</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> RequestPasswordResetAsync(EmailRequest request, HttpContext http,
        AccountActions accounts) =>
        await accounts.RequestPasswordResetAsync(http, request.Email) is { } wait
            ? AttemptGuard.TooMany(http, wait)
            : TypedResults.Accepted((string?)null);

    /// <summary>Sets the new password, ends a lockout and signs the account out everywhere (refresh tokens revoked).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ResetPasswordAsync(ResetPasswordRequest request,
        HttpContext http, AccountActions accounts, CancellationToken ct)
    {
        var outcome = await accounts.ResetPasswordAsync(http, request.UserId, request.Token, request.NewPassword, ct);
        return outcome.Succeeded ? TypedResults.NoContent() : Problem(http, outcome, "The password reset link is invalid or has expired.");
    }

    private static ProblemHttpResult Problem(HttpContext http, AccountActions.Outcome outcome, string invalidLink) =>
        outcome switch
        {
            { RetryAfter: { } wait } => AttemptGuard.TooMany(http, wait),
            { Problems: { } problems } => Problems.Invalid(problems, "Some fields are invalid; see errors."),
            _ => Problems.Problem(StatusCodes.Status422UnprocessableEntity, invalidLink, AccountActions.LinkInvalid, "Invalid or expired link"),
        };

    /// <summary>
    /// Far above any passphrase a person types, far below the 1 MB body limit: a longer "password" is refused before it
    /// is hashed or stored (a 300,000-character password used to be accepted).
    /// </summary>
    internal const int MaxPasswordLength = 256;

    internal static bool IsEmailAddress(string value) =>
        value.Length is > 2 and <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value && address.DisplayName.Length == 0;
}

public static class DisplayNames
{
    public const int MinLength = 2;

    public const string LengthProblem = "display-name-length";
    public const string ControlProblem = "display-name-control";
    public const string AtProblem = "display-name-at";

    /// <summary>
    /// The problem code of a display name (null: a valid name, given back trimmed with single spaces): 2..50 characters,
    /// no control characters and no '@' (an email address must never become the public name).
    /// </summary>
    public static string? Problem(string? input, out string displayName)
    {
        displayName = string.Join(' ', (input ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (displayName.Length < MinLength || displayName.Length > MitredenUser.DisplayNameMaxLength)
        {
            return LengthProblem;
        }
        if (displayName.Any(char.IsControl))
        {
            return ControlProblem;
        }
        return displayName.Contains('@') ? AtProblem : null;
    }

    public static string Message(string problem) => problem switch
    {
        LengthProblem => $"The display name must have {MinLength} to {MitredenUser.DisplayNameMaxLength} characters.",
        ControlProblem => "The display name must not contain control characters.",
        _ => "The display name must not contain '@' (it is shown publicly; do not use your email address).",
    };
}
