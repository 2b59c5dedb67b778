using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Account;

/// <summary>My data: download everything stored about me, or delete the account (password required).</summary>
public sealed class DataModel(IdentityApi identity, SessionManager sessions) : WebPage
{
    [BindProperty, Required(ErrorMessage = "Delete_PasswordRequired")]
    public string? Password { get; set; }

    [BindProperty, Range(typeof(bool), "true", "true", ErrorMessage = "Delete_ConfirmRequired")]
    public bool ConfirmDeletion { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken ct)
    {
        var (file, problem) = await identity.ExportMyDataAsync(ct);
        if (file is null)
        {
            ModelState.AddModelError("", ProblemMessage(problem!));
            return Page();
        }
        Response.Headers.CacheControl = "no-store";
        return File(file.Content, "application/json", file.FileName ?? "mitreden-account.json");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Password = null;
            return Page();
        }
        var result = await identity.DeleteAccountAsync(Password!, ct);
        if (!result.Ok)
        {
            ModelState.AddModelError(nameof(Password), result.Status == 403 ? T["Delete_WrongPassword"] : ProblemMessage(result.Problem!));
            Password = null;
            return Page();
        }
        await sessions.SignOutAsync(HttpContext);
        Flash(T["Delete_Done"]);
        return LocalRedirect("/");
    }
}
