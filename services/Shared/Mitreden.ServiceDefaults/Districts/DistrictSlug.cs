using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Mitreden.ServiceDefaults.Districts;

/// <summary>
/// The one rule for a district's slug (e.g. "mitte"): Proposals creates districts with it, Identity writes it on
/// letter codes and accounts, tokens and events carry it, Voting stores it with ballots and votes. Every column that
/// holds a slug is <see cref="MaxLength"/> long, so a district one service accepts fits everywhere.
/// </summary>
public static partial class DistrictSlug
{
    public const int MaxLength = 64;

    /// <summary>What a person is told when a slug is refused.</summary>
    public const string Rule = "Lower-case letters, digits and single dashes between them, 1 to 64 characters (e.g. \"mitte\").";

    public static bool IsValid([NotNullWhen(true)] string? value) =>
        value is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[a-z0-9]+(?:-[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
