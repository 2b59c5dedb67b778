using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;
using static Mitreden.Voting.Tests.Counting.Rules;

namespace Mitreden.Voting.Tests.Counting;

public sealed class RankingTests
{
    [Fact]
    public void Ranking_FullRankingRequired_RefusesPartial()
    {
        var rules = For(VotingMethod.Ranking);
        VoteRules.Validate(rules, Rank(A, B, C)).Should().BeEmpty();
        VoteRules.Validate(rules, Rank(A, B)).Should().ContainSingle().Which.Should().Contain("alle 3");
    }

    [Fact]
    public void Ranking_PartialAllowed_AcceptsPrefix()
    {
        var rules = For(VotingMethod.Ranking) with { AllowPartialRanking = true };
        VoteRules.Validate(rules, Rank(B)).Should().BeEmpty();
        VoteRules.Validate(rules, Choices.Empty).Should().NotBeEmpty();
    }

    [Fact]
    public void Ranking_DuplicateOrGaps_AreRefused()
    {
        Choices.FromRanking([A, A]).Error.Should().NotBeNull();
        var gap = Choices.Create([new Choice(A, 1), new Choice(B, 3)]);
        VoteRules.Validate(For(VotingMethod.Ranking) with { AllowPartialRanking = true }, gap).Should().NotBeEmpty();
        var tie = Choices.Create([new Choice(A, 1), new Choice(B, 1)]);
        VoteRules.Validate(For(VotingMethod.Ranking) with { AllowPartialRanking = true }, tie).Should().NotBeEmpty();
    }

    [Fact]
    public void Borda_FullRankings_GivesNMinusPositionPoints()
    {
        var rules = For(VotingMethod.Ranking);
        var tally = VoteRules.Count(rules, [Rank(A, B, C), Rank(A, C, B), Rank(B, A, C)]);
        tally[A].Score.Should().Be(2 + 2 + 1);
        tally[B].Score.Should().Be(1 + 0 + 2);
        tally[C].Score.Should().Be(0 + 1 + 0);
    }

    [Fact]
    public void Borda_PartialRanking_UnrankedGetZeroAndLoseToRanked()
    {
        var rules = For(VotingMethod.Ranking, 4) with { AllowPartialRanking = true };
        var tally = VoteRules.Count(rules, [Rank(C)]);
        tally[C].Score.Should().Be(3);
        tally[A].Score.Should().Be(0);
        tally.Prefer(C, A).Should().Be(1);
        tally.Prefer(C, D).Should().Be(1);
        tally.Prefer(A, D).Should().Be(0, "two unranked options are not compared");
        tally.Prefer(D, A).Should().Be(0);
    }

    [Fact]
    public void Condorcet_ClearWinner_IsFound()
    {
        var rules = For(VotingMethod.Ranking);
        var tally = VoteRules.Count(rules, Rank(B, A, C).Times(3).Concat(Rank(A, B, C).Times(2)).Concat(Rank(C, B, A).Times(2)));
        Outcome.CondorcetWinner(rules.OptionIds, tally.Prefer).Should().Be(B);
    }

    [Fact]
    public void Condorcet_Paradox_HasNoWinner()
    {
        var rules = For(VotingMethod.Ranking);
        // A > B > C, B > C > A, C > A > B: every option loses one pairwise contest 1:2.
        var tally = VoteRules.Count(rules, [Rank(A, B, C), Rank(B, C, A), Rank(C, A, B)]);
        Outcome.CondorcetWinner(rules.OptionIds, tally.Prefer).Should().BeNull();
        Outcome.SchulzeRanks(rules.OptionIds, tally.Prefer).Should().Equal(1, 1, 1);
    }

    [Fact]
    public void Condorcet_PairwiseTie_HasNoWinner()
    {
        var rules = For(VotingMethod.Ranking, 2);
        var tally = VoteRules.Count(rules, [Rank(A, B), Rank(B, A)]);
        Outcome.CondorcetWinner(rules.OptionIds, tally.Prefer).Should().BeNull();
    }

    [Fact]
    public void Schulze_WikipediaExample_RanksEACBD()
    {
        // The 45-voter example of the Schulze method article: winner E, order E > A > C > B > D.
        var rules = For(VotingMethod.Ranking, 5);
        var votes = Rank(A, C, B, E, D).Times(5)
            .Concat(Rank(A, D, E, C, B).Times(5))
            .Concat(Rank(B, E, D, A, C).Times(8))
            .Concat(Rank(C, A, B, E, D).Times(3))
            .Concat(Rank(C, A, E, B, D).Times(7))
            .Concat(Rank(C, B, A, D, E).Times(2))
            .Concat(Rank(D, C, E, B, A).Times(7))
            .Concat(Rank(E, B, A, D, C).Times(8));
        var tally = VoteRules.Count(rules, votes);
        Outcome.SchulzeRanks(rules.OptionIds, tally.Prefer).Should().Equal(2, 4, 3, 5, 1); // A, B, C, D, E
        Outcome.CondorcetWinner(rules.OptionIds, tally.Prefer).Should().BeNull("this profile has a cycle");
    }
}
