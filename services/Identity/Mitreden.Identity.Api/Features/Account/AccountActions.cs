using Microsoft.AspNetCore.Identity;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.Identity.Contracts;
using Mitreden.ServiceDefaults.Http;
using Mitreden.ServiceDefaults.Messaging;
using OpenIddict.Abstractions;

namespace Mitreden.Identity.Api.Features.Account;

/// <summary>
/// Registration, email confirmation and password reset: the one implementation behind the JSON API (<see cref="AccountApi"/>)
/// and Identity's pages, which both answer a refused field by its <see cref="FieldError"/>: the pages say its code in the
/// reader's language, the JSON API gives the code (<c>errorCodes</c>) and an English message. Fields carry the API's names
/// (email, displayName, password, newPassword). The limits are <see cref="AttemptGuard"/>'s; known and unknown addresses get
/// the same answer.
/// </summary>
public sealed class AccountActions(IdentityDb db, UserManager<MitredenUser> users, MailQueue mail, IdentitySettings settings,
    AttemptGuard guard, IOpenIddictTokenManager tokens, TimeProvider time)
{
    public const string EmailInvalid = "email-invalid";
    public const string PasswordTooLong = "password-too-long";

    /// <summary>The code of a confirmation or reset link that is invalid or has expired.</summary>
    public const string LinkInvalid = "link-invalid";

    /// <summary>What an action came to: refused by a limit, problems at fields, an invalid or expired link, or done.</summary>
    public sealed record Outcome(TimeSpan? RetryAfter = null, IReadOnlyList<FieldError>? Problems = null, bool InvalidLink = false, Guid? UserId = null)
    {
        public bool Succeeded => RetryAfter is null && Problems is null && !InvalidLink;

        public static Outcome Invalid(params IEnumerable<FieldError> problems) => new(Problems: problems.ToList());
    }

    /// <summary>
    /// A new account, or, for a known address, the same answer (an id no account has) and a mail to the owner saying that
    /// an account exists. The password is checked against the rules and hashed either way.
    /// </summary>
    public async Task<Outcome> RegisterAsync(HttpContext http, string email, string password, string displayNameInput)
    {
        email = email.Trim();
        var problems = CheckRegistration(email, password, displayNameInput, out var displayName);
        if (problems.Count > 0)
        {
            return Outcome.Invalid(problems);
        }
        if (await guard.RegistrationAsync(http, email) is { } wait)
        {
            return new Outcome(RetryAfter: wait);
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
        var passwordProblems = new List<FieldError>();
        foreach (var validator in users.PasswordValidators)
        {
            var checkedPassword = await validator.ValidateAsync(users, user, password);
            passwordProblems.AddRange(checkedPassword.Errors.Select(e => new FieldError("password", e.Code, e.Description)));
        }
        if (passwordProblems.Count > 0)
        {
            return Outcome.Invalid(passwordProblems);
        }

        if (await users.FindByEmailAsync(email) is { } existing)
        {
            return AlreadyRegistered(existing, password);
        }
        // Saved by CreateAsync's SaveChanges together with the user: one transaction for account, role and event.
        db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = user.Id, RoleId = SeededRoles.IdOf(Roles.Citizen) });
        db.AddOutboxMessage(new UserRegistered(user.Id, displayName, now));
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            db.ChangeTracker.Clear();
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))
                && await users.FindByEmailAsync(email) is { } raced)
            {
                return AlreadyRegistered(raced, password);
            }
            return Outcome.Invalid(result.Errors.Select(e => new FieldError("password", e.Code, e.Description)));
        }

        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        mail.Enqueue(AccountMails.Confirmation(settings, email, displayName, user.Id, token));
        return new Outcome(UserId: user.Id);
    }

    /// <summary>
    /// The form rules of a registration without counting or storing anything (address, display name, password length), so a
    /// page can show them together with its own (the password's rules need the account and come with <see cref="RegisterAsync"/>).
    /// </summary>
    public static List<FieldError> CheckRegistration(string? email, string? password, string? displayNameInput, out string displayName)
    {
        var problems = new List<FieldError>();
        if (!AccountApi.IsEmailAddress((email ?? "").Trim()))
        {
            problems.Add(new FieldError("email", EmailInvalid, "Enter a valid email address."));
        }
        if (DisplayNames.Problem(displayNameInput, out displayName) is { } nameProblem)
        {
            problems.Add(new FieldError("displayName", nameProblem, DisplayNames.Message(nameProblem)));
        }
        if (TooLong(password ?? "", "password") is { } tooLong)
        {
            problems.Add(tooLong);
        }
        return problems;
    }

    /// <summary>The answer of a new registration (an id no account has), and a mail to the owner of the address.</summary>
    private Outcome AlreadyRegistered(MitredenUser existing, string password)
    {
        // Costs what creating an account costs (the hash), so the time of the answer does not tell either.
        users.PasswordHasher.HashPassword(existing, password);
        mail.Enqueue(AccountMails.AlreadyRegistered(settings, existing.Email!, existing.DisplayName));
        return new Outcome(UserId: Guid.CreateVersion7());
    }

    /// <summary>Confirms the address of the link's account (done already counts as done); wrong links count per client address.</summary>
    public async Task<Outcome> ConfirmEmailAsync(HttpContext http, Guid userId, string token)
    {
        if (await guard.CodeRefusedAsync(http) is { } wait)
        {
            return new Outcome(RetryAfter: wait);
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            await guard.CodeFailedAsync(http);
            return new Outcome(InvalidLink: true);
        }
        if (user.EmailConfirmed)
        {
            return new Outcome(UserId: user.Id);
        }
        if (user.ResidentDistrict is null)
        {
            // Saved by ConfirmEmailAsync's update, only when the token is valid.
            db.AddOutboxMessage(new UserVerified(user.Id, VerificationLevels.Email, null, time.GetUtcNow()));
        }
        var result = await users.ConfirmEmailAsync(user, token.Trim());
        if (!result.Succeeded)
        {
            db.ChangeTracker.Clear();
            await guard.CodeFailedAsync(http);
            return new Outcome(InvalidLink: true);
        }
        return new Outcome(UserId: user.Id);
    }

    /// <summary>Mails a new confirmation link to an unconfirmed account's address; the same (null) for every address, past the limits a wait.</summary>
    public async Task<TimeSpan?> ResendConfirmationAsync(HttpContext http, string email)
    {
        if (await guard.MailRequestAsync(http, email) is { } wait)
        {
            return wait;
        }
        var user = AccountApi.IsEmailAddress(email.Trim()) ? await users.FindByEmailAsync(email.Trim()) : null;
        if (user is { EmailConfirmed: false, Email: not null })
        {
            var token = await users.GenerateEmailConfirmationTokenAsync(user);
            mail.Enqueue(AccountMails.Confirmation(settings, user.Email, user.DisplayName, user.Id, token));
        }
        return null;
    }

    /// <summary>Mails a reset link when the address has an account; the same (null) for every address, past the limits a wait.</summary>
    public async Task<TimeSpan?> RequestPasswordResetAsync(HttpContext http, string email)
    {
        if (await guard.MailRequestAsync(http, email) is { } wait)
        {
            return wait;
        }
        var user = AccountApi.IsEmailAddress(email.Trim()) ? await users.FindByEmailAsync(email.Trim()) : null;
        if (user is { Email: not null })
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            mail.Enqueue(AccountMails.PasswordReset(settings, user.Email, user.DisplayName, user.Id, token));
        }
        return null;
    }

    /// <summary>Sets the new password, ends a lockout and signs the account out everywhere (refresh tokens revoked).</summary>
    public async Task<Outcome> ResetPasswordAsync(HttpContext http, Guid userId, string token, string newPassword, CancellationToken ct)
    {
        if (await guard.CodeRefusedAsync(http) is { } wait)
        {
            return new Outcome(RetryAfter: wait);
        }
        if (TooLong(newPassword, "newPassword") is { } tooLong)
        {
            return Outcome.Invalid(tooLong);
        }
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null)
        {
            await guard.CodeFailedAsync(http);
            return new Outcome(InvalidLink: true);
        }
        var result = await users.ResetPasswordAsync(user, token.Trim(), newPassword);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                await guard.CodeFailedAsync(http);
                return new Outcome(InvalidLink: true);
            }
            return Outcome.Invalid(result.Errors.Select(e => new FieldError("newPassword", e.Code, e.Description)));
        }
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await tokens.RevokeBySubjectAsync(user.Id.ToString(), ct);
        return new Outcome(UserId: user.Id);
    }

    /// <summary>A password longer than <see cref="AccountApi.MaxPasswordLength"/>, refused before it is hashed.</summary>
    internal static FieldError? TooLong(string password, string field) =>
        password.Length > AccountApi.MaxPasswordLength
            ? new FieldError(field, PasswordTooLong, $"The password may have at most {AccountApi.MaxPasswordLength} characters.")
            : null;
}
