using Mitreden.ServiceDefaults.Http;
using Mitreden.Voting.Contracts.Http;

namespace Mitreden.Voting.Api.Counting;

/// <summary>Everything the counting functions need to know about a ballot. Immutable once a ballot is open.</summary>
public sealed record BallotRules
{
    public required VotingMethod Method { get; init; }

    /// <summary>Option ids in display order (the order also breaks ties for presentation).</summary>
    public required IReadOnlyList<Guid> OptionIds { get; init; }

    /// <summary>Costs per option (budget ballots).</summary>
    public IReadOnlyDictionary<Guid, decimal> Costs { get; init; } = new Dictionary<Guid, decimal>();

    public int? MinSelections { get; init; }
    public int? MaxSelections { get; init; }
    public int? MaxScore { get; init; }
    public int? Dots { get; init; }
    public int? MaxDotsPerOption { get; init; }
    public decimal? Budget { get; init; }
    public bool AllowPartialRanking { get; init; }

    private HashSet<Guid>? _optionSet;

    public bool HasOption(Guid id) => (_optionSet ??= [.. OptionIds]).Contains(id);

    /// <summary>Checks the rules themselves (when staff create or edit a ballot), per field of the request. Empty when fine.</summary>
    public IReadOnlyList<FieldError> Check()
    {
        var errors = new List<FieldError>();
        void Add(string field, string code, string message) => errors.Add(new FieldError(field, code, message));
        var n = OptionIds.Count;
        if (n == 0)
        {
            Add("options", "ballot-options-missing", "Eine Abstimmung braucht mindestens eine Option.");
        }
        if (OptionIds.Distinct().Count() != n)
        {
            Add("options", "ballot-option-duplicate", "Jede Option darf nur einmal vorkommen.");
        }
        if (MinSelections is < 0 || MaxSelections is < 1 || (MinSelections is { } min && MaxSelections is { } max && min > max))
        {
            Add("maxSelections", "ballot-selections-inconsistent", "Die Mindest- und Höchstzahl der Auswahl passen nicht zusammen.");
        }
        if (MinSelections is { } mn && mn > n)
        {
            Add("minSelections", "ballot-min-selections-above-options", $"Es sind nur {n} Optionen vorhanden, die Mindestauswahl ist aber {mn}.");
        }
        switch (Method)
        {
            case VotingMethod.Scoring when MaxScore is not (>= 1 and <= 100):
                Add("maxScore", "ballot-max-score-out-of-range", "Bei der Bewertung muss die Höchstpunktzahl (maxScore) zwischen 1 und 100 liegen.");
                break;
            case VotingMethod.Cumulative when Dots is not (>= 1 and <= 1000):
                Add("dots", "ballot-dots-out-of-range", "Bei der Punktvergabe muss die Zahl der Punkte (dots) zwischen 1 und 1000 liegen.");
                break;
            case VotingMethod.Cumulative when MaxDotsPerOption is < 1:
                Add("maxDotsPerOption", "ballot-max-dots-per-option-too-small", "Die Höchstzahl der Punkte je Option (maxDotsPerOption) muss mindestens 1 sein.");
                break;
            case VotingMethod.Budget when Budget is not > 0:
                Add("budget", "ballot-budget-missing", "Bei der Budget-Abstimmung muss ein Budget größer als 0 angegeben sein.");
                break;
            case VotingMethod.Budget when OptionIds.Any(o => !Costs.TryGetValue(o, out var c) || c < 0):
                Add("options", "ballot-option-cost-missing", "Bei der Budget-Abstimmung braucht jede Option Kosten (0 oder mehr).");
                break;
            case VotingMethod.Ranking when n > 100:
                Add("options", "ballot-too-many-options-for-ranking", "Eine Rangfolge kann höchstens 100 Optionen haben.");
                break;
        }
        return errors;
    }
}
