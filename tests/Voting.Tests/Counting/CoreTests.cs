using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Api.Domain;
using Mitreden.Voting.Api.Pipeline;
using Mitreden.Voting.Contracts.Http;
using static Mitreden.Voting.Tests.Counting.Rules;

namespace Mitreden.Voting.Tests.Counting;

public sealed class CoreTests
{
    [Fact]
    public void CompetitionRanks_Ties_SharePlaceAndSkipNext()
    {
        Outcome.CompetitionRanks([5L, 3L, 3L, 1L]).Should().Equal(1, 2, 2, 4);
        Outcome.CompetitionRanks([2m, 2m]).Should().Equal(1, 1);
    }

    public static TheoryData<VotingMethod> Methods => new(Enum.GetValues<VotingMethod>());

    [Theory]
    [MemberData(nameof(Methods))]
    public void Apply_AddThenRemove_LeavesNothing(VotingMethod method)
    {
        var rules = For(method) with { Dots = 5, MaxScore = 5, Budget = 10, Costs = new Dictionary<Guid, decimal> { [A] = 1, [B] = 1, [C] = 1 } };
        var vote = method switch
        {
            VotingMethod.Scoring or VotingMethod.Cumulative => Points((A, 2), (C, 3)),
            VotingMethod.Ranking => Rank(C, A, B),
            _ => Select(A, C),
        };
        VoteRules.Validate(rules, vote).Should().BeEmpty();
        var tally = new Tally();
        VoteRules.Apply(rules, vote, +1, tally);
        tally.NonZeroOptions().Should().NotBeEmpty();
        VoteRules.Apply(rules, vote, -1, tally);
        tally.NonZeroOptions().Should().BeEmpty();
        tally.NonZeroPairs().Should().BeEmpty();
        tally.Voters.Should().Be(0);
    }

    [Fact]
    public void Canonical_RoundTrips_AndOrderDoesNotMatter()
    {
        var first = Points((C, 1), (A, 2));
        var second = Points((A, 2), (C, 1));
        first.ToCanonical().Should().Be(second.ToCanonical());
        Choices.Parse(first.ToCanonical()).Should().Be(first);
    }

    [Fact]
    public void Canonical_Parse_RefusesUnsortedOrMalformedText()
    {
        var canonical = Points((A, 2), (C, 1)).ToCanonical();
        var swapped = string.Join(',', canonical.Split(',').Reverse());
        FluentActions.Invoking(() => Choices.Parse(swapped)).Should().Throw<FormatException>();
        FluentActions.Invoking(() => Choices.Parse("nonsense")).Should().Throw<FormatException>();
    }

    [Fact]
    public void Differences_OfEqualTallies_AreEmpty_AndOfDifferentOnesNamed()
    {
        var rules = For(VotingMethod.Ranking);
        var one = VoteRules.Count(rules, [Rank(A, B, C)]);
        var same = VoteRules.Count(rules, [Rank(A, B, C)]);
        var other = VoteRules.Count(rules, [Rank(B, A, C)]);
        one.Differences(same, rules.OptionIds).Should().BeEmpty();
        one.Differences(other, rules.OptionIds).Should().NotBeEmpty();
    }

    [Fact]
    public void VoteIds_FromIdempotencyKey_AreStablePerVoterAndKey()
    {
        var voter = new byte[32];
        var other = new byte[32];
        other[0] = 1;
        VoteIds.FromIdempotencyKey(voter, "k1").Should().Be(VoteIds.FromIdempotencyKey(voter, "k1"));
        VoteIds.FromIdempotencyKey(voter, "k1").Should().NotBe(VoteIds.FromIdempotencyKey(voter, "k2"));
        VoteIds.FromIdempotencyKey(voter, "k1").Should().NotBe(VoteIds.FromIdempotencyKey(other, "k1"));
        VoteIds.FromIdempotencyKey(voter, "k1").Version.Should().Be(8);
    }

    [Fact]
    public void VoteSequence_IsStrictlyIncreasing()
    {
        var numbers = Enumerable.Range(0, 10_000).Select(_ => VoteSequence.Next(TimeProvider.System)).ToList();
        numbers.Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        VoteSequence.ToTime(numbers[0]).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void IsNewer_EqualSequence_BreaksTieByVoteId()
    {
        var low = Guid.Parse("00000000-0000-0000-0000-000000000001");
        var high = Guid.Parse("00000000-0000-0000-0000-000000000002");
        VoteSequence.IsNewer(5, high, 5, low).Should().BeTrue();
        VoteSequence.IsNewer(5, low, 5, high).Should().BeFalse();
        VoteSequence.IsNewer(6, low, 5, high).Should().BeTrue();
    }

    [Fact]
    public void VoterKeys_DependOnSecretUserAndBallot()
    {
        var keys = new VoterKeys(new Mitreden.Voting.Api.VotingOptions { VoterKeySecret = new byte[32] });
        var otherSecret = new VoterKeys(new Mitreden.Voting.Api.VotingOptions { VoterKeySecret = Enumerable.Repeat((byte)1, 32).ToArray() });
        var (user, ballot) = (Guid.NewGuid(), Guid.NewGuid());
        keys.For(user, ballot).Should().Equal(keys.For(user, ballot)).And.HaveCount(32);
        keys.For(user, ballot).Should().NotEqual(keys.For(user, Guid.NewGuid()));
        keys.For(user, ballot).Should().NotEqual(otherSecret.For(user, ballot));
    }
}
