using System.Globalization;
using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Counting;

/// <summary>
/// The one check of in-person results (paper ballots, workshop dots) against the ballot's method, as
/// <see cref="VoteRules.Apply"/> counts a vote: every value is what <paramref name="participants"/> people could have
/// given together. Errors are German and keyed by the request's field path (<c>results[2].value</c>), so the web shows
/// them at the field without checking again.
/// </summary>
public static class InPersonRules
{
    public const int MaxParticipants = 10_000_000;
    private static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    public static List<FieldError> Validate(BallotRules rules, int? participants, IReadOnlyList<InPersonLine>? results)
    {
        var errors = new List<FieldError>();
        void Add(string field, string code, string message) => errors.Add(new FieldError(field, code, message));

        if (participants is not { } people || people < 1)
        {
            Add("participants", "in-person-participants-missing", "Bitte geben Sie an, wie viele Personen teilgenommen haben (mindestens 1).");
        }
        else if (people > MaxParticipants)
        {
            Add("participants", "in-person-participants-too-many", $"Es können höchstens {N(MaxParticipants)} Teilnehmende angegeben werden.");
        }
        if (results is null || results.Count == 0)
        {
            Add("results", "in-person-results-missing", "Bitte geben Sie mindestens für eine Option einen Wert an.");
            return errors;
        }

        var n = rules.OptionIds.Count;
        var (perOption, perOptionText) = PerVoterPerOption(rules, n);
        var seen = new HashSet<Guid>();
        for (var i = 0; i < results.Count; i++)
        {
            var line = results[i];
            if (!rules.HasOption(line.OptionId))
            {
                Add($"results[{i}].optionId", "in-person-unknown-option", "Diese Option gehört nicht zu dieser Abstimmung.");
            }
            else if (!seen.Add(line.OptionId))
            {
                Add($"results[{i}].optionId", "in-person-option-twice", "Für diese Option ist schon ein Wert angegeben; je Option bitte nur einen.");
            }
            if (line.Value < 0)
            {
                Add($"results[{i}].value", "in-person-value-negative", "Der Wert darf nicht negativ sein.");
            }
            else if (line.Value != decimal.Truncate(line.Value))
            {
                Add($"results[{i}].value", "in-person-value-not-whole", $"Bitte geben Sie eine ganze Zahl an ({Unit(rules.Method)} werden gezählt, nicht geteilt).");
            }
            else if (participants is >= 1 and <= MaxParticipants && line.Value > participants.Value * (decimal)perOption)
            {
                Add($"results[{i}].value", "in-person-value-above-participants",
                    $"Bei {N(participants.Value)} Teilnehmenden sind für eine Option höchstens {N(participants.Value * (decimal)perOption)} {Unit(rules.Method)} möglich ({perOptionText}).");
            }
        }
        if (errors.Count > 0 || participants is not { } p || p < 1 || p > MaxParticipants)
        {
            return errors;
        }

        var sum = results.Sum(r => r.Value);
        var (minTotal, maxTotal, totalText) = PerVoterTotal(rules, n);
        if (sum > p * (decimal)maxTotal)
        {
            Add("results", "in-person-total-too-high", $"Zusammen sind es {N(sum)} {Unit(rules.Method)}; bei {N(p)} Teilnehmenden sind höchstens {N(p * (decimal)maxTotal)} möglich ({totalText}).");
        }
        else if (sum < p * (decimal)minTotal)
        {
            Add("results", "in-person-total-too-low", $"Zusammen sind es {N(sum)} {Unit(rules.Method)}; bei {N(p)} Teilnehmenden sind mindestens {N(p * (decimal)minTotal)} nötig ({totalText}).");
        }
        if (rules.Method == VotingMethod.Budget && rules.Budget is { } budget)
        {
            var spent = results.Sum(r => r.Value * rules.Costs.GetValueOrDefault(r.OptionId));
            if (spent > p * budget)
            {
                Add("results", "in-person-budget-exceeded", $"Die gewählten Vorhaben kosten zusammen {Money(spent)}; bei {N(p)} Teilnehmenden mit je {Money(budget)} Budget sind höchstens {Money(p * budget)} möglich.");
            }
        }
        return errors;
    }

    /// <summary>The most one person can give one option, as the method counts it.</summary>
    private static (long Max, string Why) PerVoterPerOption(BallotRules rules, int n) => rules.Method switch
    {
        VotingMethod.Scoring => (rules.MaxScore ?? 5, $"je Person höchstens {rules.MaxScore ?? 5} Punkte je Option"),
        VotingMethod.Cumulative => (Math.Min(rules.MaxDotsPerOption ?? rules.Dots ?? 0, rules.Dots ?? 0),
            $"je Person höchstens {Math.Min(rules.MaxDotsPerOption ?? rules.Dots ?? 0, rules.Dots ?? 0)} Punkte je Option"),
        VotingMethod.Ranking => (Math.Max(n - 1, 0), $"Borda: Platz 1 von {n} Optionen bringt {Math.Max(n - 1, 0)} Punkte"),
        _ => (1, "je Person eine Stimme je Option"),
    };

    /// <summary>The least and most one person gives all options together.</summary>
    private static (long Min, long Max, string Why) PerVoterTotal(BallotRules rules, int n)
    {
        switch (rules.Method)
        {
            case VotingMethod.Support:
            case VotingMethod.Approval:
            case VotingMethod.Budget:
                var min = rules.MinSelections ?? (rules.Method == VotingMethod.Support ? 0 : 1);
                var max = rules.MaxSelections ?? n;
                return (min, max, min > 0 ? $"je Person {min} bis {max} Stimmen" : $"je Person höchstens {max} Stimmen");
            case VotingMethod.Scoring:
                var scored = rules.MaxSelections ?? n;
                var maxScore = rules.MaxScore ?? 5;
                return (0, (long)scored * maxScore, $"je Person höchstens {scored} Optionen mit je {maxScore} Punkten");
            case VotingMethod.Cumulative:
                var dots = rules.Dots ?? 0;
                return (0, dots, $"je Person höchstens {dots} Punkte");
            case VotingMethod.Ranking:
                // Borda: place p of n gives n − p points; a full ranking gives every person the same total.
                var fewest = rules.AllowPartialRanking ? rules.MinSelections ?? 1 : n;
                var most = rules.AllowPartialRanking ? Math.Min(rules.MaxSelections ?? n, n) : n;
                long Points(int places) => Enumerable.Range(1, Math.Max(places, 0)).Sum(place => (long)(n - place));
                return (Points(fewest), Points(most), fewest == most
                    ? $"eine vollständige Rangfolge von {n} Optionen bringt je Person {Points(most)} Borda-Punkte"
                    : $"je Person {Points(fewest)} bis {Points(most)} Borda-Punkte");
            default:
                return (0, long.MaxValue / 4, "");
        }
    }

    private static string Unit(VotingMethod method) => method is VotingMethod.Support or VotingMethod.Approval or VotingMethod.Budget
        ? "Stimmen" : "Punkte";

    private static string N(decimal value) => value.ToString("#,0.##", German);

    private static string Money(decimal value) => value.ToString("#,0.## €", German);
}
