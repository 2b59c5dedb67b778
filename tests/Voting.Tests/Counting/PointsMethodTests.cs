using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;
using static Mitreden.Voting.Tests.Counting.Rules;

namespace Mitreden.Voting.Tests.Counting;

public sealed class PointsMethodTests
{
    [Fact]
    public void Scoring_WithinRange_IsValid()
    {
        var rules = For(VotingMethod.Scoring) with { MaxScore = 5 };
        VoteRules.Validate(rules, Points((A, 0), (B, 5))).Should().BeEmpty();
    }

    [Fact]
    public void Scoring_AboveMaximumOrNegative_IsRefused()
    {
        var rules = For(VotingMethod.Scoring) with { MaxScore = 5 };
        VoteRules.Validate(rules, Points((A, 6))).Should().NotBeEmpty();
        VoteRules.Validate(rules, Points((A, -1))).Should().NotBeEmpty();
    }

    [Fact]
    public void Scoring_Tally_SumsPointsAndCountsRatersIncludingZero()
    {
        var rules = For(VotingMethod.Scoring) with { MaxScore = 5 };
        var tally = VoteRules.Count(rules, [Points((A, 5), (B, 0)), Points((A, 3))]);
        tally[A].Should().Be(new OptionTally(8, 2));
        tally[B].Should().Be(new OptionTally(0, 1), "a zero is a rating");
        tally[C].Should().Be(new OptionTally(0, 0));
    }

    [Fact]
    public void Cumulative_AllDotsUsed_IsValid()
    {
        var rules = For(VotingMethod.Cumulative) with { Dots = 5, MaxDotsPerOption = 3 };
        VoteRules.Validate(rules, Points((A, 3), (B, 2))).Should().BeEmpty();
    }

    [Fact]
    public void Cumulative_MoreThanMaxPerOption_IsRefused()
    {
        var rules = For(VotingMethod.Cumulative) with { Dots = 5, MaxDotsPerOption = 3 };
        VoteRules.Validate(rules, Points((A, 4))).Should().ContainSingle().Which.Should().Contain("höchstens 3");
    }

    [Fact]
    public void Cumulative_MoreDotsThanAvailable_IsRefused()
    {
        var rules = For(VotingMethod.Cumulative) with { Dots = 5, MaxDotsPerOption = 3 };
        VoteRules.Validate(rules, Points((A, 3), (B, 3))).Should().ContainSingle().Which.Should().Contain("6");
    }

    [Fact]
    public void Cumulative_NoDots_IsRefused()
    {
        var rules = For(VotingMethod.Cumulative) with { Dots = 5 };
        VoteRules.Validate(rules, VoteRules.Normalize(rules, Points((A, 0)))).Should().NotBeEmpty();
    }

    [Fact]
    public void Cumulative_Normalize_DropsZeroEntriesSoEqualVotesHaveOneForm()
    {
        var rules = For(VotingMethod.Cumulative) with { Dots = 5 };
        VoteRules.Normalize(rules, Points((A, 2), (B, 0))).ToCanonical().Should().Be(Points((A, 2)).ToCanonical());
    }

    [Fact]
    public void Cumulative_Tally_SumsDots()
    {
        var rules = For(VotingMethod.Cumulative) with { Dots = 5 };
        var tally = VoteRules.Count(rules, [Points((A, 3), (B, 2)), Points((A, 5))]);
        tally[A].Should().Be(new OptionTally(8, 2));
        tally[B].Should().Be(new OptionTally(2, 1));
    }
}
