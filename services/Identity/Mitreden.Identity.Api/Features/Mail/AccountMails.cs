using Mitreden.Identity.Api.Features.SignIn;

namespace Mitreden.Identity.Api.Features.Mail;

/// <summary>
/// Account mails, German first with an English part. Links point at Identity's pages under the public address (through the
/// gateway); the paths are the ones the web's pages had, so links in mails sent before still work.
/// </summary>
public static class AccountMails
{
    public const string ConfirmEmailPath = SignInSession.ConfirmEmailPage;
    public const string ResetPasswordPath = SignInSession.ResetPasswordPage;
    public const string SignInPath = SignInSession.WebSignInStart;
    public const string RequestResetPath = SignInSession.ForgotPasswordPage;

    public static OutgoingMail Confirmation(IdentitySettings settings, string to, string displayName, Guid userId, string token)
    {
        var link = $"{settings.WebBaseUrl}{ConfirmEmailPath}?userId={userId}&token={token}";
        return new OutgoingMail(to, "Bitte bestätigen Sie Ihre E-Mail-Adresse / Please confirm your email address", $"""
            Hallo {displayName},

            bitte bestätigen Sie Ihre E-Mail-Adresse für Mitreden, indem Sie diesen Link öffnen:
            {link}

            Falls der Link nicht funktioniert, geben Sie diese Angaben auf der Seite ein:
            Nutzer-ID: {userId}
            Code: {token}

            Der Link ist 3 Tage gültig. Wenn Sie sich nicht bei Mitreden registriert haben, können Sie diese E-Mail ignorieren.

            ---

            Please confirm your email address for Mitreden by opening the link above (valid for 3 days).
            If you did not register, you can ignore this email.
            """);
    }

    public static OutgoingMail PasswordReset(IdentitySettings settings, string to, string displayName, Guid userId, string token)
    {
        var link = $"{settings.WebBaseUrl}{ResetPasswordPath}?userId={userId}&token={token}";
        return new OutgoingMail(to, "Passwort zurücksetzen / Reset your password", $"""
            Hallo {displayName},

            mit diesem Link können Sie ein neues Passwort für Mitreden festlegen:
            {link}

            Falls der Link nicht funktioniert, geben Sie diese Angaben auf der Seite ein:
            Nutzer-ID: {userId}
            Code: {token}

            Der Link ist 2 Stunden gültig und funktioniert einmal. Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt unverändert.

            ---

            Use the link above to set a new Mitreden password (valid for 2 hours, once).
            If you did not ask for this, ignore this email; your password stays unchanged.
            """);
    }

    /// <summary>To the owner of an address someone tried to register again: the answer to that request looked like a new account's.</summary>
    public static OutgoingMail AlreadyRegistered(IdentitySettings settings, string to, string displayName)
    {
        var signIn = $"{settings.WebBaseUrl}{SignInPath}";
        var reset = $"{settings.WebBaseUrl}{RequestResetPath}";
        return new OutgoingMail(to, "Sie haben bereits ein Konto / You already have an account", $"""
            Hallo {displayName},

            jemand wollte mit dieser E-Mail-Adresse ein neues Konto bei Mitreden anlegen. Für diese Adresse gibt es bereits ein Konto,
            deshalb wurde kein neues angelegt.

            Anmelden: {signIn}
            Passwort vergessen? Hier können Sie ein neues festlegen: {reset}

            Wenn Sie das nicht waren, können Sie diese E-Mail ignorieren; an Ihrem Konto hat sich nichts geändert.

            ---

            Someone tried to register a new Mitreden account with this email address. An account already exists for it, so no new
            one was created. Sign in or reset your password with the links above. If this was not you, ignore this email; nothing
            about your account has changed.
            """);
    }
}
