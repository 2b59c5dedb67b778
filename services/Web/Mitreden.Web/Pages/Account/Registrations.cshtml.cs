using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Account;

/// <summary>"Meine Anmeldungen": the events the signed-in person registered for (seat or waiting list), to cancel them.</summary>
public sealed class RegistrationsModel(ProposalsApi proposals) : WebPage
{
    public IReadOnlyList<MyEventRegistration> Registrations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(Guid processId, Guid eventId, CancellationToken ct)
    {
        var result = await proposals.CancelRegistrationAsync(processId, eventId, ct);
        if (result.Ok)
        {
            Flash(T["Events_Unregistered"]);
            return Redirect("/konto/veranstaltungen");
        }
        ModelState.Clear();
        AddProblem(result.Problem!);
        await LoadAsync(ct);
        return Page();
    }

    public bool Upcoming(MyEventRegistration r) => r.StartsAt > DateTimeOffset.UtcNow;

    private async Task LoadAsync(CancellationToken ct)
    {
        var mine = await proposals.MyEventRegistrationsAsync(ct);
        Registrations = mine.Value ?? [];
    }
}
