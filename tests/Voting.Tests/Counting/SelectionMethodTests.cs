using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;
using static Mitreden.Voting.Tests.Counting.Rules;

namespace Mitreden.Voting.Tests.Counting;

public sealed class SelectionMethodTests
{
    [Fact]
    public void Approval_WithinMinAndMax_IsValid()
    {
        var rules = For(VotingMethod.Approval, 5) with { MinSelections = 2, MaxSelections = 3 };
        VoteRules.Validate(rules, Select(A, B)).Should().BeEmpty();
        VoteRules.Validate(rules, Select(A, B, C)).Should().BeEmpty();
    }

    [Fact]
    public void Approval_BelowMinimum_IsRefused()
    {
        var rules = For(VotingMethod.Approval, 5) with { MinSelections = 2, MaxSelections = 3 };
        VoteRules.Validate(rules, Select(A)).Should().ContainSingle().Which.Should().Contain("mindestens 2");
    }

    [Fact]
    public void Approval_AboveMaximum_IsRefused()
    {
        var rules = For(VotingMethod.Approval, 5) with { MinSelections = 2, MaxSelections = 3 };
        VoteRules.Validate(rules, Select(A, B, C, D)).Should().ContainSingle().Which.Should().Contain("höchstens 3");
    }

    [Fact]
    public void Approval_ChooseFifteenOfTwenty_AcceptsFifteenRefusesSixteen()
    {
        var ids = Enumerable.Range(1, 20).Select(i => Guid.Parse($"00000000-0000-0000-0000-{i:D12}")).ToList();
        var rules = new BallotRules { Method = VotingMethod.Approval, OptionIds = ids, MinSelections = 1, MaxSelections = 15 };
        VoteRules.Validate(rules, Choices.FromSelection(ids.Take(15)).Choices!).Should().BeEmpty();
        VoteRules.Validate(rules, Choices.FromSelection(ids.Take(16)).Choices!).Should().NotBeEmpty();
        VoteRules.Validate(rules, Choices.Empty).Should().NotBeEmpty("an empty approval vote is below the default minimum of 1");
    }

    [Fact]
    public void Approval_UnknownOption_IsRefused()
    {
        VoteRules.Validate(For(VotingMethod.Approval), Select(A, D)).Should().ContainSingle().Which.Should().Contain(D.ToString());
    }

    [Fact]
    public void Selection_SameOptionTwice_IsRefusedWhenBuilding()
    {
        Choices.FromSelection([A, A]).Error.Should().NotBeNull();
    }

    [Fact]
    public void Approval_Tally_CountsOnePerSelection()
    {
        var rules = For(VotingMethod.Approval);
        var tally = VoteRules.Count(rules, [Select(A, B), Select(A), Select(C, A)]);
        tally[A].Should().Be(new OptionTally(3, 3));
        tally[B].Should().Be(new OptionTally(1, 1));
        tally[C].Should().Be(new OptionTally(1, 1));
        tally.Voters.Should().Be(3);
    }

    [Fact]
    public void Support_EmptyVoteWithdrawsSupport_IsValid()
    {
        VoteRules.Validate(For(VotingMethod.Support), Choices.Empty).Should().BeEmpty();
    }

    [Fact]
    public void Support_OverPerVoterLimit_IsRefused()
    {
        var rules = For(VotingMethod.Support) with { MaxSelections = 2 };
        VoteRules.Validate(rules, Select(A, B)).Should().BeEmpty();
        VoteRules.Validate(rules, Select(A, B, C)).Should().NotBeEmpty();
    }

    [Fact]
    public void Selection_ValueOtherThanOne_IsRefused()
    {
        VoteRules.Validate(For(VotingMethod.Approval), Points((A, 2))).Should().NotBeEmpty();
    }

    [Fact]
    public void Budget_ExactlyAtLimit_IsValid()
    {
        var rules = For(VotingMethod.Budget) with { Budget = 100m, Costs = new Dictionary<Guid, decimal> { [A] = 60m, [B] = 40m, [C] = 41m } };
        VoteRules.Validate(rules, Select(A, B)).Should().BeEmpty();
    }

    [Fact]
    public void Budget_OverLimit_IsRefusedWithTheSums()
    {
        var rules = For(VotingMethod.Budget) with { Budget = 100m, Costs = new Dictionary<Guid, decimal> { [A] = 60m, [B] = 40m, [C] = 41m } };
        VoteRules.Validate(rules, Select(A, C)).Should().ContainSingle().Which.Should().Contain("101").And.Contain("100");
    }

    [Fact]
    public void Budget_RulesWithoutCosts_AreRefused()
    {
        var rules = For(VotingMethod.Budget) with { Budget = 100m, Costs = new Dictionary<Guid, decimal> { [A] = 60m } };
        rules.Check().Should().NotBeEmpty();
    }

    [Fact]
    public void GreedyBudget_FundsByVotesAndSkipsWhatNoLongerFits()
    {
        var costs = new Dictionary<Guid, decimal> { [A] = 70m, [B] = 50m, [C] = 30m };
        var scores = new Dictionary<Guid, decimal> { [A] = 10, [B] = 8, [C] = 5 };
        Outcome.GreedyBudget([A, B, C], id => scores[id], costs, 100m).Should().BeEquivalentTo([A, C]);
    }

    [Fact]
    public void GreedyBudget_TieInVotes_FundsCheaperFirst()
    {
        var costs = new Dictionary<Guid, decimal> { [A] = 80m, [B] = 30m };
        Outcome.GreedyBudget([A, B], _ => 4m, costs, 100m).Should().BeEquivalentTo([B]);
    }
}
