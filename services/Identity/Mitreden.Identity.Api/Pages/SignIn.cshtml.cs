using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Accounts;
using Mitreden.Identity.Api.Features.SignIn;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// /konto/anmelden (anonymous, through the gateway): the sign-in of the code flow. It serves an authorization request
/// only (returnUrl); reached otherwise, it sends the browser to the web's sign-in start, which makes one. The password
/// check, its limits and lockout are <see cref="PasswordCheck"/>'s, the same as everywhere.
/// </summary>
public sealed class SignInModel(PasswordCheck passwords, IConfiguration configuration, IStringLocalizer<SignInText> text) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The voting-code page for the same authorization request, with the web's wish for that page.</summary>
    public string VotingCodeLink => SignInSession.WebVotingCodeStart;

    /// <summary>Identity's account pages, which lead back into the same authorization request.</summary>
    public string RegisterLink => SignInSession.PageLink(configuration, SignInSession.RegisterPage, ReturnUrl);

    public string ForgotPasswordLink => SignInSession.PageLink(configuration, SignInSession.ForgotPasswordPage, ReturnUrl);

    public IActionResult OnGet() =>
        SignInSession.IsAuthorizeUrl(configuration, ReturnUrl) ? Page() : Redirect(SignInSession.WebStart(SignInSession.WebSignInStart, ReturnUrl));

    public async Task<IActionResult> OnPostAsync()
    {
        if (!SignInSession.IsAuthorizeUrl(configuration, ReturnUrl))
        {
            return Redirect(SignInSession.WebStart(SignInSession.WebSignInStart, ReturnUrl));
        }
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), text["Login_EmailRequired"]);
        }
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), text["Login_PasswordRequired"]);
        }
        if (!ModelState.IsValid)
        {
            Password = null;
            return Page();
        }
        var outcome = await passwords.CheckAsync(HttpContext, Email!, Password!);
        Password = null;
        if (outcome.RetryAfter is { } wait)
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = Features.Codes.FailureLimiter.RetryAfterHeader(wait);
            ModelState.AddModelError(nameof(Email), text["Problem_429"]);
            return Page();
        }
        if (outcome.User is not { } user)
        {
            ModelState.AddModelError(nameof(Email), text["Login_Wrong"]);
            return Page();
        }
        await SignInSession.SignInAsync(HttpContext, SignInSession.ForAccount(user));
        return LocalRedirect(ReturnUrl!);
    }
}
