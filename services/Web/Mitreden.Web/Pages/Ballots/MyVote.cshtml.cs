using Microsoft.AspNetCore.Mvc;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>See my own vote (and change it while the ballot is open).</summary>
public sealed class MyVoteModel(VotingApi voting) : WebPage
{
    public BallotView Ballot { get; private set; } = null!;
    public MyVote? Mine { get; private set; }
    public BallotState State { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        var ballot = await voting.BallotAsync(id, ct);
        if (!ballot.Ok)
        {
            return StatusCode(ballot.Status == 404 ? 404 : 400);
        }
        Ballot = ballot.Value!;
        State = Ballot.CurrentState(DateTimeOffset.UtcNow);
        var mine = await voting.MyVoteAsync(id, ct);
        Mine = mine.Value;
        return Page();
    }

    public string OptionTitle(Guid optionId) => Ballot.Options.FirstOrDefault(o => o.OptionId == optionId)?.Title ?? optionId.ToString();
}
