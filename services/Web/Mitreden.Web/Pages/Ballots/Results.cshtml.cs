using Microsoft.AspNetCore.Mvc;
using Mitreden.Proposals.Contracts.Http;
using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Api;
using Mitreden.Web.Infrastructure;

namespace Mitreden.Web.Pages.Ballots;

/// <summary>Results as an SVG bar chart with a table of the same numbers; live over SSE while the ballot is open.</summary>
public sealed class ResultsModel(VotingApi voting, ProposalsApi proposals) : WebPage
{
    public BallotView Ballot { get; private set; } = null!;
    public ProcessResponse? Process { get; private set; }
    public ResultsView? Results { get; private set; }
    public string? HiddenReason { get; private set; }
    public BallotState State { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var ballot = await voting.BallotAsync(id, ct);
        if (!ballot.Ok)
        {
            return StatusCode(ballot.Status == 404 ? 404 : 400);
        }
        Ballot = ballot.Value!;
        State = Ballot.CurrentState(DateTimeOffset.UtcNow);
        Process = (await proposals.ProcessAsync(Ballot.ProcessId, ct)).Value;
        var results = await voting.ResultsAsync(id, ct);
        if (results.Ok)
        {
            Results = results.Value;
        }
        else
        {
            HiddenReason = results.Status == 403 ? results.Problem?.Detail ?? "" : ProblemMessage(results.Problem!);
        }
        return Page();
    }

    /// <summary>Scores can be fractional (in-person imports); show them without needless decimals.</summary>
    public static string Num(decimal value) => Display.Number(value);
}
