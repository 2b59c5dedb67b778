using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Counting;

/// <summary>
/// The pure heart of every method: <see cref="Validate"/> says what is wrong with a vote (empty = valid),
/// <see cref="Apply"/> adds (or, with sign -1, removes) one vote's contribution to a <see cref="Tally"/>.
/// The live tally (deltas per batch), the recount and the final result all go through <see cref="Apply"/>,
/// so they cannot disagree about what a vote is worth.
/// </summary>
public static class VoteRules
{
    /// <summary>Brings equivalent inputs to one form (cumulative: options with 0 dots are dropped).</summary>
    public static Choices Normalize(BallotRules rules, Choices choices) =>
        rules.Method == VotingMethod.Cumulative && choices.Entries.Any(e => e.Value == 0)
            ? Choices.Create(choices.Entries.Where(e => e.Value != 0))
            : choices;

    /// <summary>The German messages of <see cref="Check"/>, one per broken rule.</summary>
    public static IReadOnlyList<string> Validate(BallotRules rules, Choices choices) => Check(rules, choices).Select(e => e.Message).ToList();

    /// <summary>What is wrong with a vote, each with its stable code (<see cref="VoteErrorCodes"/>) and German message; empty = valid.</summary>
    public static IReadOnlyList<VoteRuleError> Check(BallotRules rules, Choices choices)
    {
        var errors = new List<VoteRuleError>();
        foreach (var entry in choices.Entries)
        {
            if (!rules.HasOption(entry.OptionId))
            {
                errors.Add(new(VoteErrorCodes.UnknownOption, $"Die Option {entry.OptionId} gehört nicht zu dieser Abstimmung."));
            }
        }
        if (errors.Count > 0)
        {
            return errors;
        }

        var n = rules.OptionIds.Count;
        var k = choices.Count;
        switch (rules.Method)
        {
            case VotingMethod.Support:
                RequireSelections(choices, errors);
                CheckCount(k, rules.MinSelections ?? 0, rules.MaxSelections ?? n, errors);
                break;
            case VotingMethod.Approval:
                RequireSelections(choices, errors);
                CheckCount(k, rules.MinSelections ?? 1, rules.MaxSelections ?? n, errors);
                break;
            case VotingMethod.Budget:
                RequireSelections(choices, errors);
                CheckCount(k, rules.MinSelections ?? 1, rules.MaxSelections ?? n, errors);
                var total = choices.Entries.Sum(e => rules.Costs.GetValueOrDefault(e.OptionId));
                if (rules.Budget is { } budget && total > budget)
                {
                    errors.Add(new(VoteErrorCodes.OverBudget, $"Die gewählten Vorhaben kosten zusammen {total:0.##}, das Budget beträgt {budget:0.##}."));
                }
                break;
            case VotingMethod.Scoring:
                var maxScore = rules.MaxScore ?? 5;
                if (choices.Entries.Any(e => e.Value < 0 || e.Value > maxScore))
                {
                    errors.Add(new(VoteErrorCodes.ScoreOutOfRange, $"Jede Bewertung muss zwischen 0 und {maxScore} Punkten liegen."));
                }
                CheckCount(k, rules.MinSelections ?? 1, rules.MaxSelections ?? n, errors);
                break;
            case VotingMethod.Cumulative:
                var dots = rules.Dots ?? 0;
                if (choices.Entries.Any(e => e.Value < 0))
                {
                    errors.Add(new(VoteErrorCodes.NegativePoints, "Punkte dürfen nicht negativ sein."));
                }
                if (rules.MaxDotsPerOption is { } perOption && choices.Entries.Any(e => e.Value > perOption))
                {
                    errors.Add(new(VoteErrorCodes.TooManyPointsPerOption, $"Eine Option darf höchstens {perOption} Punkte bekommen."));
                }
                var used = choices.Entries.Sum(e => (long)e.Value);
                if (used > dots)
                {
                    errors.Add(new(VoteErrorCodes.TooManyPoints, $"Es wurden {used} Punkte vergeben, erlaubt sind höchstens {dots}."));
                }
                else if (used < 1)
                {
                    errors.Add(new(VoteErrorCodes.NoPoints, "Bitte vergeben Sie mindestens einen Punkt."));
                }
                break;
            case VotingMethod.Ranking:
                var positions = choices.Entries.Select(e => e.Value).Order().ToList();
                if (!positions.SequenceEqual(Enumerable.Range(1, k)))
                {
                    errors.Add(new(VoteErrorCodes.RankingGaps, "Die Rangfolge muss die Plätze 1 bis n ohne Lücken und ohne Gleichstand enthalten."));
                }
                if (!rules.AllowPartialRanking && k != n)
                {
                    errors.Add(new(VoteErrorCodes.RankingIncomplete, $"Bitte bringen Sie alle {n} Optionen in eine Reihenfolge."));
                }
                else if (rules.AllowPartialRanking)
                {
                    CheckCount(k, rules.MinSelections ?? 1, rules.MaxSelections ?? n, errors);
                }
                break;
            default:
                errors.Add(new(VoteErrorCodes.UnknownMethod, "Unbekannte Abstimmungsmethode."));
                break;
        }
        return errors;
    }

    private static void RequireSelections(Choices choices, List<VoteRuleError> errors)
    {
        if (choices.Entries.Any(e => e.Value != 1))
        {
            errors.Add(new(VoteErrorCodes.NotASelection, "Bei dieser Methode wird eine Option nur gewählt oder nicht gewählt."));
        }
    }

    private static void CheckCount(int k, int min, int max, List<VoteRuleError> errors)
    {
        if (k < min)
        {
            errors.Add(new(VoteErrorCodes.TooFew, min == 1 ? "Bitte wählen Sie mindestens eine Option." : $"Bitte wählen Sie mindestens {min} Optionen."));
        }
        if (k > max)
        {
            errors.Add(new(VoteErrorCodes.TooMany, max == 1 ? "Es darf höchstens eine Option gewählt werden." : $"Es dürfen höchstens {max} Optionen gewählt werden."));
        }
    }

    /// <summary>
    /// Adds <paramref name="sign"/> × the vote's contribution: support/approval/budget: +1 per chosen option;
    /// scoring: the points (votes = how many rated it); cumulative: the dots; ranking: Borda points
    /// (n − position; unranked options get 0, the "truncated" Borda count) plus the pairwise preferences
    /// (a ranked option beats every option ranked lower and every unranked one; two unranked options are not compared).
    /// </summary>
    public static void Apply(BallotRules rules, Choices choices, int sign, Tally tally)
    {
        tally.Voters += sign;
        var n = rules.OptionIds.Count;
        foreach (var entry in choices.Entries)
        {
            long score = rules.Method switch
            {
                VotingMethod.Ranking => n - entry.Value,
                _ => entry.Value,
            };
            if (rules.Method == VotingMethod.Cumulative && entry.Value == 0)
            {
                continue;
            }
            tally.Add(entry.OptionId, sign * score, sign);
        }

        if (rules.Method != VotingMethod.Ranking)
        {
            return;
        }
        var order = choices.RankingOrder();
        var ranked = new HashSet<Guid>(order);
        for (var i = 0; i < order.Count; i++)
        {
            for (var j = i + 1; j < order.Count; j++)
            {
                tally.AddPair(order[i], order[j], sign);
            }
            foreach (var other in rules.OptionIds)
            {
                if (!ranked.Contains(other))
                {
                    tally.AddPair(order[i], other, sign);
                }
            }
        }
    }

    /// <summary>Counts a whole vote set from scratch (the recount).</summary>
    public static Tally Count(BallotRules rules, IEnumerable<Choices> votes)
    {
        var tally = new Tally();
        foreach (var vote in votes)
        {
            Apply(rules, vote, +1, tally);
        }
        return tally;
    }
}

/// <summary>One broken rule of a vote: its stable code (<see cref="VoteErrorCodes"/>) and Voting's German message.</summary>
public sealed record VoteRuleError(string Code, string Message);
