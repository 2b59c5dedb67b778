using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>
/// The ballot page: one form per method (approval/support/budget checkboxes, scoring and dots numbers, ranking with
/// up/down buttons), all usable without JavaScript; the rules are checked here and again by Voting.
/// </summary>
public sealed class DetailsModel(VotingApi voting, ProposalsApi proposals) : WebPage
{
    public BallotView Ballot { get; private set; } = null!;
    public ProcessResponse? Process { get; private set; }
    public MyVote? Mine { get; private set; }
    public BallotState State { get; private set; }

    [BindProperty] public List<Guid> Selected { get; set; } = [];
    [BindProperty] public Dictionary<Guid, int> Points { get; set; } = [];
    [BindProperty] public List<Guid> Ranking { get; set; } = [];
    [BindProperty] public string? IdempotencyKey { get; set; }

    /// <summary>Voting's answer for the signed-in person; null for visitors (and when Voting could not say).</summary>
    public MyEligibility? Eligibility { get; private set; }

    /// <summary>Signed in, but Voting says this person may not vote here: the page says why instead of showing the form.</summary>
    public bool NotEligible => Eligibility is { MayVote: false };

    /// <summary>Why the signed-in person may not vote, in the page's language (by Voting's reason code).</summary>
    public string NotEligibleText()
    {
        var district = Ballot.Eligibility.District ?? "";
        var group = Ballot.Eligibility.VotingGroupName ?? "";
        var text = T[$"NotEligible_{Eligibility?.Reason}", district, group];
        return text.ResourceNotFound ? T["NotEligible_other"] : text;
    }

    public bool HasVoted => Mine?.Status is "pending" or "counted";
    public bool IsOpen => State == BallotState.Open;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        if (Mine?.Choices is { } choices)
        {
            Selected = choices.Selected?.ToList() ?? [];
            Points = choices.Points?.ToDictionary() ?? [];
            Ranking = choices.Ranking?.ToList() ?? [];
        }
        Ranking = RankingForm.CompleteRanking(Ballot, Ranking);
        IdempotencyKey = Guid.NewGuid().ToString("N");
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (RequireSignIn() is { } challenge)
        {
            return challenge;
        }
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        ModelState.Clear();
        var vote = Ballot.Method switch
        {
            VotingMethod.Scoring or VotingMethod.Cumulative => new CastVoteRequest(null, Points.Where(p => Ballot.Method == VotingMethod.Scoring || p.Value > 0)
                .ToDictionary(p => p.Key, p => p.Value), null),
            VotingMethod.Ranking => new CastVoteRequest(null, null, Ranking),
            _ => new CastVoteRequest(Selected.Distinct().ToList(), null, null),
        };
        // Voting alone checks the ballot's rules; a vote that breaks them comes back as 422 with its German messages at "choices".
        var key = IdempotencyKey is { Length: > 0 and <= 100 } k && k.All(char.IsAsciiLetterOrDigit) ? k : Guid.NewGuid().ToString("N");
        var result = await voting.CastAsync(id, vote, key, ct);
        if (!result.Ok)
        {
            if (result.Problem!.Code is "voting-off" or "phase-ended")
            {
                // The phase refuses: say so in the page's language (the service's detail is German).
                ModelState.AddModelError("", T[result.Problem.Code == "voting-off" ? "Vote_VotingOff" : "Vote_PhaseEnded"]);
            }
            else
            {
                // German: Voting's own messages (with the ballot's numbers); English: the page's text for the rule's code.
                AddProblem(result.Problem, new Dictionary<string, string> { ["choices"] = ChoicesField }, serviceWordsFirst: true);
            }
            Ranking = RankingForm.CompleteRanking(Ballot, Ranking);
            IdempotencyKey = Guid.NewGuid().ToString("N");
            return Page();
        }
        return Redirect($"/abstimmungen/{id}/quittung?beleg={Uri.EscapeDataString(result.Value!.ReceiptHash)}");
    }

    /// <summary>The ranking's up/down buttons without JavaScript: reorder and show the form again (nothing is cast).</summary>
    public async Task<IActionResult> OnPostMoveAsync(Guid id, string? move, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } missing)
        {
            return missing;
        }
        ModelState.Clear();
        Ranking = RankingForm.CompleteRanking(Ballot, Ranking);
        var parts = (move ?? "").Split(':');
        if (parts.Length == 2 && Guid.TryParse(parts[0], out var optionId))
        {
            Ranking = RankingForm.Move(Ranking, optionId, parts[1] == "up");
            MovedOption = optionId;
        }
        return Page();
    }

    public Guid? MovedOption { get; private set; }

    public const string ChoicesField = "choices";

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        var ballot = await voting.BallotAsync(id, ct);
        if (!ballot.Ok)
        {
            return StatusCode(ballot.Status == 404 ? 404 : ballot.Status == 403 ? 403 : 400);
        }
        Ballot = ballot.Value!;
        State = Ballot.CurrentState(DateTimeOffset.UtcNow);
        Process = (await proposals.ProcessAsync(Ballot.ProcessId, ct)).Value;
        if (SignedIn)
        {
            var mine = await voting.MyVoteAsync(id, ct);
            Mine = mine.Value;
            if (State == BallotState.Open)
            {
                Eligibility = (await voting.MyEligibilityAsync(id, ct)).Value;
            }
        }
        return null;
    }

    public string OptionTitle(Guid optionId) => Ballot.Options.FirstOrDefault(o => o.OptionId == optionId)?.Title ?? optionId.ToString();
}
