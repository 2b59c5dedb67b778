using Mitreden.Voting.Contracts.Http;
using Mitreden.Web.Pages.Ballots;

namespace Mitreden.Web.Tests;

/// <summary>The ranking form without JavaScript (the vote rules themselves are Voting's and tested there).</summary>
public sealed class RankingFormTests
{
    private static BallotView Ballot(int options) =>
        new(Guid.NewGuid(), Guid.NewGuid(), null, "Test", null, VotingMethod.Ranking,
            Enumerable.Range(1, options).Select(i => new OptionView(Guid.NewGuid(), null, $"Option {i}", i * 100m, i)).ToList(),
            null, null, null, null, null, null, false, new EligibilityInput(EligibilityKind.Verified), ResultVisibility.AfterClose, false,
            null, null, BallotState.Open, DateTimeOffset.UtcNow, null, null, null);

    [Fact]
    public void Move_UpAndDownAndAtTheEdges_SwapsNeighboursOnly()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();

        RankingForm.Move([a, b, c], c, up: true).Should().Equal(a, c, b);
        RankingForm.Move([a, b, c], a, up: false).Should().Equal(b, a, c);
        RankingForm.Move([a, b, c], a, up: true).Should().Equal(a, b, c);
        RankingForm.Move([a, b, c], Guid.NewGuid(), up: true).Should().Equal(a, b, c);
    }

    [Fact]
    public void CompleteRanking_PartialAndForeignIds_KeepsOrderAndAppendsTheRest()
    {
        var ballot = Ballot(3);
        var third = ballot.Options[2].OptionId;

        RankingForm.CompleteRanking(ballot, [third, Guid.NewGuid(), third])
            .Should().Equal(third, ballot.Options[0].OptionId, ballot.Options[1].OptionId);
    }
}
