using Microsoft.AspNetCore.Mvc;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>Every published version of a final result (the close, then each correction with its reason), newest first.</summary>
public sealed class ResultVersionsModel(VotingApi voting) : WebPage
{
    public BallotView Ballot { get; private set; } = null!;
    public IReadOnlyList<ResultVersionView> Versions { get; private set; } = [];
    public string? HiddenReason { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var ballot = await voting.BallotAsync(id, ct);
        if (!ballot.Ok)
        {
            return StatusCode(ballot.Status == 404 ? 404 : 400);
        }
        Ballot = ballot.Value!;
        var versions = await voting.ResultVersionsAsync(id, ct);
        if (versions.Ok)
        {
            Versions = versions.Value!;
        }
        else
        {
            HiddenReason = versions.Status == 403 ? versions.Problem?.Detail ?? "" : ProblemMessage(versions.Problem!);
        }
        return Page();
    }
}
