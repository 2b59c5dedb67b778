using Mitreden.Voting.Api.Counting;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Tests.Counting;

/// <summary>Small helpers: options A, B, C, ... with fixed ids.</summary>
internal static class Rules
{
    public static readonly Guid A = Guid.Parse("00000000-0000-0000-0000-00000000000a");
    public static readonly Guid B = Guid.Parse("00000000-0000-0000-0000-00000000000b");
    public static readonly Guid C = Guid.Parse("00000000-0000-0000-0000-00000000000c");
    public static readonly Guid D = Guid.Parse("00000000-0000-0000-0000-00000000000d");
    public static readonly Guid E = Guid.Parse("00000000-0000-0000-0000-00000000000e");

    public static BallotRules For(VotingMethod method, int options = 3) => new()
    {
        Method = method,
        OptionIds = new[] { A, B, C, D, E }.Take(options).ToList(),
    };

    public static Choices Select(params Guid[] ids) => Choices.FromSelection(ids).Choices!;

    public static Choices Points(params (Guid Id, int Points)[] points) =>
        Choices.FromPoints(points.Select(p => new KeyValuePair<Guid, int>(p.Id, p.Points))).Choices!;

    public static Choices Rank(params Guid[] ids) => Choices.FromRanking(ids).Choices!;

    public static IEnumerable<Choices> Times(this Choices choices, int n) => Enumerable.Repeat(choices, n);
}
