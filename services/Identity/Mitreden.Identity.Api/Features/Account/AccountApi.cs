using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Messaging;
using OpenIddict.Abstractions;

namespace Mitreden.Identity.Api.Features.Account;

/// <summary>Registration, email confirmation and password reset (all anonymous).</summary>
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

    public sealed record RegisterRequest(string Email, string Password, string DisplayName);

    public sealed record RegisterResponse(Guid UserId);

    public sealed record ConfirmEmailRequest(Guid UserId, string Token);

    public sealed record EmailRequest(string Email);

    public sealed record ResetPasswordRequest(Guid UserId, string Token, string NewPassword);

    /// <summary>
    /// 201 with an id for a new address and for a known one alike (no account enumeration): the known address gets a
    /// mail saying that it already has an account. The password is checked against the rules and hashed either way.
    /// </summary>
    private static async Task<Results<Created<RegisterResponse>, ProblemHttpResult>> RegisterAsync(RegisterRequest request,
        HttpContext http, IdentityDb db, UserManager<MitredenUser> users, MailQueue mail, IdentitySettings settings, AttemptGuard guard,
        TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        var email = request.Email.Trim();
        if (!IsEmailAddress(email))
        {
            errors["email"] = ["Enter a valid email address."];
        }
        if (DisplayNames.Validate(request.DisplayName, out var displayName) is { } nameError)
        {
            errors["displayName"] = [nameError];
        }
        if (request.Password.Length > MaxPasswordLength)
        {
            errors["password"] = [$"The password may have at most {MaxPasswordLength} characters."];
        }
        if (errors.Count > 0)
        {
            return Invalid(errors);
        }
        if (await guard.RegistrationAsync(http, email) is { } wait)
        {
            return AttemptGuard.TooMany(http, wait);
        }

        var now = time.GetUtcNow();
        var user = new MitredenUser
        {
            Id = Guid.CreateVersion7(),
            Email = email,
            DisplayName = displayName,
            CreatedAt = now,
        };
        user.UserName = user.Id.ToString("N");
        var passwordErrors = new List<string>();
        foreach (var validator in users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, user, request.Password);
            passwordErrors.AddRange(checkedPassword.Errors.Select(e => e.Description));
        }
        if (passwordErrors.Count > 0)
        {
            return Invalid(new Dictionary<string, string[]> { ["password"] = passwordErrors.ToArray() });
        }

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return AlreadyRegistered(users, mail, settings, existing, request.Password);
        }
        // Saved by CreateAsync's SaveChanges together with the user: one transaction for account, role and event.
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = SeededRoles.IdOf(Roles.Citizen) });
        db.AddOutboxMessage(new UserRegistered(user.Id, displayName, now));
        var result = await users.CreateAsync(user, request.Password);
        if (!result.Succeeded)
        {
            db.ChangeTracker.Clear();
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                && await users.FindByEmailAsync(email) is { } raced)
            {
                return AlreadyRegistered(users, mail, settings, raced, request.Password);
            }
            return Invalid(new Dictionary<string, string[]> { ["password"] = result.Errors.Select(e => e.Description).ToArray() });
        }

        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        mail.Enqueue(AccountMails.Confirmation(settings, email, displayName, user.Id, token));
        return TypedResults.Created("/account/me", new RegisterResponse(user.Id));
    }

    /// <summary>The answer of a new registration (an id no account has), and a mail to the owner of the address.</summary>
    private static Created<RegisterResponse> AlreadyRegistered(UserManager<MitredenUser> users, MailQueue mail, IdentitySettings settings,
        MitredenUser existing, string password)
    {
        // Costs what creating an account costs (the hash), so the time of the answer does not tell either.
        users.PasswordHasher.HashPassword(existing, password);
        mail.Enqueue(AccountMails.AlreadyRegistered(settings, existing.Email!, existing.DisplayName));
        return TypedResults.Created("/account/me", new RegisterResponse(Guid.CreateVersion7()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ConfirmEmailAsync(ConfirmEmailRequest request,
        HttpContext http, IdentityDb db, UserManager<MitredenUser> users, AttemptGuard guard, TimeProvider time)
    {
        if (await guard.CodeRefusedAsync(http) is { } wait)
        {
            return AttemptGuard.TooMany(http, wait);
        }
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null)
        {
            await guard.CodeFailedAsync(http);
            return InvalidLink("The confirmation link is invalid or has expired.");
        }
        if (user.EmailConfirmed)
        {
            return TypedResults.NoContent();
        }
        if (user.ResidentDistrict is null)
        {
            // Saved by ConfirmEmailAsync's update, only when the token is valid.
            db.AddOutboxMessage(new UserVerified(user.Id, VerificationLevels.Email, null, time.GetUtcNow()));
        }
        var result = await users.ConfirmEmailAsync(user, request.Token);
        if (!result.Succeeded)
        {
            await guard.CodeFailedAsync(http);
            return InvalidLink("The confirmation link is invalid or has expired.");
        }
        return TypedResults.NoContent();
    }

    /// <summary>Always 202, whether or not the address has an account (429 past the limits, which count either way).</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> ResendConfirmationAsync(EmailRequest request, HttpContext http,
        UserManager<MitredenUser> users, MailQueue mail, IdentitySettings settings, AttemptGuard guard)
    {
        if (await guard.MailRequestAsync(http, request.Email) is { } wait)
        {
            return AttemptGuard.TooMany(http, wait);
        }
        var user = IsEmailAddress(request.Email.Trim()) ? await users.FindByEmailAsync(request.Email.Trim()) : null;
        if (user is { EmailConfirmed: false, Email: not null })
        {
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            mail.Enqueue(AccountMails.Confirmation(settings, user.Email, user.DisplayName, user.Id, token));
        }
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Always 202 (no user enumeration; 429 past the limits, which count either way); the mail goes out in the background.</summary>
    private static async Task<Results<Accepted, ProblemHttpResult>> RequestPasswordResetAsync(EmailRequest request, HttpContext http,
        UserManager<MitredenUser> users, MailQueue mail, IdentitySettings settings, AttemptGuard guard)
    {
        if (await guard.MailRequestAsync(http, request.Email) is { } wait)
        {
            return AttemptGuard.TooMany(http, wait);
        }
        var user = IsEmailAddress(request.Email.Trim()) ? await users.FindByEmailAsync(request.Email.Trim()) : null;
        if (user is { Email: not null })
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            mail.Enqueue(AccountMails.PasswordReset(settings, user.Email, user.DisplayName, user.Id, token));
        }
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>Sets the new password, ends a lockout and signs the account out everywhere (refresh tokens revoked).</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ResetPasswordAsync(ResetPasswordRequest request,
        HttpContext http, UserManager<MitredenUser> users, IOpenIddictTokenManager tokens, AttemptGuard guard, CancellationToken ct)
    {
        if (await guard.CodeRefusedAsync(http) is { } wait)
        {
            return AttemptGuard.TooMany(http, wait);
        }
        if (request.NewPassword.Length > MaxPasswordLength)
        {
            return Invalid(new Dictionary<string, string[]> { ["newPassword"] = [$"The password may have at most {MaxPasswordLength} characters."] });
        }
        var user = await users.FindByIdAsync(request.UserId.ToString());
        if (user is null)
        {
            await guard.CodeFailedAsync(http);
            return InvalidLink("The password reset link is invalid or has expired.");
        }
        var result = await users.ResetPasswordAsync(user, request.Token, request.NewPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                await guard.CodeFailedAsync(http);
                return InvalidLink("The password reset link is invalid or has expired.");
            }
            return Invalid(new Dictionary<string, string[]> { ["newPassword"] = result.Errors.Select(e => e.Description).ToArray() });
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await tokens.RevokeBySubjectAsync(user.Id.ToString(), ct);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// Far above any passphrase a person types, far below the 1 MB body limit: a longer "password" is refused before it
    /// is hashed or stored (a 300,000-character password used to be accepted).
    /// </summary>
    internal const int MaxPasswordLength = 256;

    internal static bool IsEmailAddress(string value) =>
        value.Length is > 2 and <= 254 && MailAddress.TryCreate(value, out var address) && address.Address == value && address.DisplayName.Length == 0;

    internal static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid input",
            Detail = "Some fields are invalid; see errors.",
        });

    private static ProblemHttpResult InvalidLink(string detail) =>
        TypedResults.Problem(statusCode: 422, title: "Invalid or expired token", detail: detail);
}

public static class DisplayNames
{
    public const int MinLength = 2;

    /// <summary>Trimmed, 2..50 characters, no control characters and no '@' (an email address must never become the public name).</summary>
    public static string? Validate(string? input, out string displayName)
    {
        displayName = string.Join(' ', (input ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (displayName.Length < MinLength || displayName.Length > MitredenUser.DisplayNameMaxLength)
        {
            return $"The display name must have {MinLength} to {MitredenUser.DisplayNameMaxLength} characters.";
        }
        if (displayName.Any(char.IsControl))
        {
            return "The display name must not contain control characters.";
        }
        if (displayName.Contains('@'))
        {
            return "The display name must not contain '@' (it is shown publicly; do not use your email address).";
        }
        return null;
    }
}
