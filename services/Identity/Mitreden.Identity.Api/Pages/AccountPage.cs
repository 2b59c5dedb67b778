using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Mitreden.Identity.Api.Features.Account;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.SignIn;
using Mitreden.ServiceDefaults.Http;

namespace Mitreden.Identity.Api.Pages;

/// <summary>
/// What Identity's account pages (registration, confirmation, password reset, residency) share: the return address they
/// pass on (<see cref="SignInSession.PassOn"/>), where they lead on, and how the rules' answers become texts at the field.
/// </summary>
public abstract class AccountPage(IConfiguration configuration, IStringLocalizer<SignInText> text) : PageModel
{
    protected IStringLocalizer<SignInText> Text => text;

    private string? _returnUrl;

    /// <summary>An authorization request of this Identity or a local path of the web; anything else is dropped.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl
    {
        get => SignInSession.PassOn(configuration, _returnUrl);
        set => _returnUrl = value;
    }

    /// <summary>The forms write back the return address as passed on, never a raw one that was posted.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context) => ModelState.Remove(nameof(ReturnUrl));

    /// <summary>Back into the web (or the authorization request the page was reached from), see <see cref="SignInSession.ContinueUrl"/>.</summary>
    public string ContinueUrl => SignInSession.ContinueUrl(configuration, ReturnUrl);

    public string Link(string page) => SignInSession.PageLink(configuration, page, ReturnUrl);

    /// <summary>429 with Retry-After, and the limit's message at the field.</summary>
    protected void TooMany(TimeSpan wait, string field)
    {
        Response.StatusCode = StatusCodes.Status429TooManyRequests;
        Response.Headers.RetryAfter = FailureLimiter.RetryAfterHeader(wait);
        ModelState.AddModelError(field, text["Problem_429"]);
    }

    /// <summary>The rules' problems at the page's fields (API field name → property name), in the reader's language.</summary>
    protected void AddProblems(IEnumerable<FieldError> problems, IReadOnlyDictionary<string, string> fields)
    {
        foreach (var problem in problems.DistinctBy(p => (p.Field, Message(p.Code))))
        {
            ModelState.AddModelError(fields.GetValueOrDefault(problem.Field, problem.Field), Message(problem.Code));
        }
    }

    private string Message(string code) => code switch
    {
        AccountActions.EmailInvalid => text["Register_EmailInvalid"],
        DisplayNames.LengthProblem => text["Register_NameLength"],
        DisplayNames.ControlProblem => text["Register_NameControl"],
        DisplayNames.AtProblem => text["Register_NameAt"],
        AccountActions.PasswordTooLong => text["Password_TooLong"],
        nameof(IdentityErrorDescriber.PasswordTooShort) => text["Password_TooShort"],
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => text["Password_UniqueChars"],
        _ => text["Password_Rules"],
    };
}
