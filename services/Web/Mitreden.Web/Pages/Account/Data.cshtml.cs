using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Pages.Account;

/// <summary>My data: download everything stored about me, or delete the account (password required).</summary>
public sealed class DataModel(IdentityApi identity, PersonalData personalData, SessionManager sessions, TimeProvider time) : WebPage
{
    [BindProperty, Required(ErrorMessage = "Delete_PasswordRequired")]
    public string? Password { get; set; }

    [BindProperty, Range(typeof(bool), "true", "true", ErrorMessage = "Delete_ConfirmRequired")]
    public bool ConfirmDeletion { get; set; }

    public void OnGet()
    {
    }

    /// <summary>Everything every service keeps about me, as one JSON file.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(CancellationToken ct)
    {
        var result = await personalData.CollectAsync(time, ct);
        if (result.Export is null)
        {
            foreach (var (part, problem) in result.Failures)
            {
                ModelState.AddModelError("", T["Data_PartUnavailable", T[$"Data_Part_{part}"], ProblemMessage(problem)]);
            }
            Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Page();
        }
        Response.Headers.CacheControl = "no-store";
        return File(PersonalData.ToJson(result.Export), "application/json", $"mitreden-meine-daten-{time.GetUtcNow():yyyy-MM-dd}.json");
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
            if (result.Status == 403)
            {
                ModelState.AddModelError(nameof(Password), T["Delete_WrongPassword"]);
            }
            else
            {
                AddProblem(result.Problem!, new Dictionary<string, string> { ["password"] = nameof(Password) });
            }
            Password = null;
            return Page();
        }
        await sessions.SignOutAsync(HttpContext);
        Flash(T["Delete_Done"]);
        return LocalRedirect("/");
    }
}
