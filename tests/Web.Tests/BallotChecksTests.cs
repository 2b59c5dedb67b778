using Mitreden.Web.Api;
using Mitreden.Web.Pages.Ballots;

namespace Mitreden.Web.Tests;

public sealed class BallotChecksTests
{
    private static Ballot Ballot(string method, int options, int? max = null, decimal? budget = null, int? dots = null, int? perOption = null,
        int? maxScore = null, bool partial = false) =>
        new(Guid.NewGuid(), Guid.NewGuid(), null, "Test", null, method,
            Enumerable.Range(1, options).Select(i => new BallotOption(Guid.NewGuid(), null, $"Option {i}", i * 100m, i)).ToList(),
            null, max, maxScore, dots, perOption, budget, partial, null, "after-close", false, null, null, "open", DateTimeOffset.UtcNow, null, null, null);

    [Fact]
    public void Check_ApprovalWithSixteenOfMaxFifteen_ReportsTooMany()
    {
        var ballot = Ballot("approval", 20, max: 15);
        var vote = new CastVoteRequest(ballot.Options.Take(16).Select(o => o.OptionId).ToList(), null, null);

        BallotChecks.Check(ballot, vote).Should().ContainSingle().Which.Key.Should().Be("Vote_TooMany");
    }

    [Fact]
    public void Check_ApprovalWithFifteen_Passes()
    {
        var ballot = Ballot("approval", 20, max: 15);

        BallotChecks.Check(ballot, new CastVoteRequest(ballot.Options.Take(15).Select(o => o.OptionId).ToList(), null, null)).Should().BeEmpty();
    }

    [Fact]
    public void Check_ApprovalWithNothing_ReportsTooFew()
    {
        BallotChecks.Check(Ballot("approval", 3, max: 2), new CastVoteRequest([], null, null)).Should().ContainSingle(v => v.Key == "Vote_TooFew");
    }

    [Fact]
    public void Check_OptionOfAnotherBallot_ReportsUnknownOption()
    {
        var ballot = Ballot("support", 3);

        BallotChecks.Check(ballot, new CastVoteRequest([Guid.NewGuid()], null, null)).Should().Contain(v => v.Key == "Vote_UnknownOption");
    }

    [Fact]
    public void Check_BudgetOverspent_ReportsOverBudget()
    {
        var ballot = Ballot("budget", 3, budget: 250m); // costs 100, 200, 300

        BallotChecks.Check(ballot, new CastVoteRequest([ballot.Options[0].OptionId, ballot.Options[1].OptionId], null, null))
            .Should().ContainSingle(v => v.Key == "Vote_OverBudget");
        BallotChecks.Check(ballot, new CastVoteRequest([ballot.Options[1].OptionId], null, null)).Should().BeEmpty();
    }

    [Fact]
    public void Check_DotsOverTotalAndPerOption_ReportsBoth()
    {
        var ballot = Ballot("cumulative", 2, dots: 5, perOption: 3);
        var points = new Dictionary<Guid, int> { [ballot.Options[0].OptionId] = 4, [ballot.Options[1].OptionId] = 2 };

        BallotChecks.Check(ballot, new CastVoteRequest(null, points, null)).Select(v => v.Key)
            .Should().BeEquivalentTo(["Vote_TooManyDots", "Vote_TooManyDotsPerOption"]);
    }

    [Fact]
    public void Check_ScoreAboveMax_ReportsRange()
    {
        var ballot = Ballot("scoring", 2, maxScore: 5);
        var points = new Dictionary<Guid, int> { [ballot.Options[0].OptionId] = 6, [ballot.Options[1].OptionId] = 0 };

        BallotChecks.Check(ballot, new CastVoteRequest(null, points, null)).Should().ContainSingle(v => v.Key == "Vote_ScoreRange");
    }

    [Fact]
    public void Check_IncompleteRankingWhenFullRequired_ReportsRankAll()
    {
        var ballot = Ballot("ranking", 3);

        BallotChecks.Check(ballot, new CastVoteRequest(null, null, [ballot.Options[0].OptionId])).Should().ContainSingle(v => v.Key == "Vote_RankAll");
        var partial = Ballot("ranking", 3, partial: true);
        BallotChecks.Check(partial, new CastVoteRequest(null, null, [partial.Options[2].OptionId])).Should().BeEmpty();
    }

    [Fact]
    public void Move_UpAndDownAndAtTheEdges_SwapsNeighboursOnly()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();

        BallotChecks.Move([a, b, c], c, up: true).Should().Equal(a, c, b);
        BallotChecks.Move([a, b, c], a, up: false).Should().Equal(b, a, c);
        BallotChecks.Move([a, b, c], a, up: true).Should().Equal(a, b, c);
        BallotChecks.Move([a, b, c], Guid.NewGuid(), up: true).Should().Equal(a, b, c);
    }

    [Fact]
    public void CompleteRanking_PartialAndForeignIds_KeepsOrderAndAppendsTheRest()
    {
        var ballot = Ballot("ranking", 3);
        var third = ballot.Options[2].OptionId;

        BallotChecks.CompleteRanking(ballot, [third, Guid.NewGuid(), third])
            .Should().Equal(third, ballot.Options[0].OptionId, ballot.Options[1].OptionId);
    }
}
