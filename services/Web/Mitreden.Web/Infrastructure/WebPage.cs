using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Mitreden.Web.Api;

namespace Mitreden.Web.Infrastructure;

/// <summary>Shared helpers of the page models: localized texts, problems from services shown as form errors, sign-in checks.</summary>
public abstract class WebPage : PageModel
{
    private IStringLocalizer? _text;

    protected IStringLocalizer T => _text ??= HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    public bool IsStaff => User.IsInRole("staff") || User.IsInRole("admin");

    public bool IsModerator => IsStaff || User.IsInRole("moderator");

    /// <summary>Puts a service's problem into the model state: field errors on the mapped fields, everything else on top.</summary>
    protected void AddProblem(ApiProblem problem, IReadOnlyDictionary<string, string>? fields = null)
    {
        var placed = false;
        foreach (var (field, messages) in problem.Errors)
        {
            var key = fields is not null && fields.TryGetValue(field, out var mapped) ? mapped
                : fields?.FirstOrDefault(f => string.Equals(f.Key, field, StringComparison.OrdinalIgnoreCase)).Value ?? "";
            foreach (var message in messages)
            {
                ModelState.AddModelError(key, message);
                placed = true;
            }
        }
        if (!placed || problem.Status is 401 or 403 or 409 or 429)
        {
            ModelState.AddModelError("", ProblemMessage(problem));
        }
    }

    protected string ProblemMessage(ApiProblem problem)
    {
        var general = problem.Status switch
        {
            401 => T["Problem_401"],
            403 => T["Problem_403"],
            404 => T["Problem_404"],
            409 => T["Problem_409"],
            413 => T["Problem_413"],
            429 => T["Problem_429"],
            _ => T["Problem_422"],
        };
        return string.IsNullOrWhiteSpace(problem.Detail) ? general : $"{general} {problem.Detail}";
    }

    /// <summary>A POST that needs an account: anonymous visitors are sent to sign in and back.</summary>
    protected IActionResult? RequireSignIn() => SignedIn ? null : Challenge();

    protected void Flash(string message) => TempData["Flash"] = message;

    /// <summary>Only local return URLs, so the sign-in page cannot be used to send visitors elsewhere.</summary>
    protected string SafeReturnUrl(string? returnUrl, string fallback = "/") =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) ? returnUrl : fallback;
}
