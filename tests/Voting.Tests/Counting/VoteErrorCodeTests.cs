using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;
using static Mitreden.Voting.Tests.Counting.Rules;

namespace Mitreden.Voting.Tests.Counting;

/// <summary>Each broken vote rule carries its own stable code, so the web can say it in English (German: Voting's message).</summary>
public sealed class VoteErrorCodeTests
{
    public static TheoryData<string, BallotRules, Choices, string> Cases()
    {
        var limited = For(VotingMethod.Approval, 5) with { MinSelections = 2, MaxSelections = 3 };
        var budget = For(VotingMethod.Budget) with { Budget = 100m, Costs = new Dictionary<Guid, decimal> { [A] = 60m, [B] = 50m, [C] = 10m } };
        var cumulative = For(VotingMethod.Cumulative) with { Dots = 5, MaxDotsPerOption = 3 };
        return new()
        {
            { "unknown option", For(VotingMethod.Approval), Select(A, D), VoteErrorCodes.UnknownOption },
            { "points for a selection", For(VotingMethod.Approval), Points((A, 2)), VoteErrorCodes.NotASelection },
            { "too few", limited, Select(A), VoteErrorCodes.TooFew },
            { "too many", limited, Select(A, B, C, D), VoteErrorCodes.TooMany },
            { "empty budget vote", budget, Choices.Empty, VoteErrorCodes.TooFew },
            { "over budget", budget, Select(A, B), VoteErrorCodes.OverBudget },
            { "score out of range", For(VotingMethod.Scoring) with { MaxScore = 5 }, Points((A, 6)), VoteErrorCodes.ScoreOutOfRange },
            { "negative points", cumulative, Points((A, -1), (B, 2)), VoteErrorCodes.NegativePoints },
            { "too many on one option", cumulative, Points((A, 4)), VoteErrorCodes.TooManyPointsPerOption },
            { "too many points", cumulative, Points((A, 3), (B, 3)), VoteErrorCodes.TooManyPoints },
            { "no points", cumulative, Points((A, 0)), VoteErrorCodes.NoPoints },
            { "ranking with a gap", For(VotingMethod.Ranking) with { AllowPartialRanking = true }, Points((A, 1), (B, 3)), VoteErrorCodes.RankingGaps },
            { "ranking incomplete", For(VotingMethod.Ranking), Rank(A, B), VoteErrorCodes.RankingIncomplete },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Check_BrokenRule_FirstErrorHasItsCode(string rule, BallotRules rules, Choices vote, string code)
    {
        var errors = VoteRules.Check(rules, vote);

        errors.Should().NotBeEmpty(rule);
        errors[0].Code.Should().Be(code, rule);
        errors[0].Message.Should().NotBeNullOrWhiteSpace();
        VoteErrorCodes.All.Should().Contain(code);
    }

    [Fact]
    public void VoteErrorCodes_AreDistinct() => VoteErrorCodes.All.Should().OnlyHaveUniqueItems();
}
