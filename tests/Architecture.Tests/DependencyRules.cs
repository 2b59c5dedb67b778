using System.Text.RegularExpressions;

namespace Mitreden.Architecture.Tests;

/// <summary>The rules as functions of names, so the tests can show each one failing on a made-up dependency.</summary>
internal static partial class DependencyRules
{
    /// <summary>Another service's project or assembly (Mitreden.X.Api, or anything of X but its Contracts).</summary>
    public static IReadOnlyList<string> ForeignServiceReferences(string service, IEnumerable<string> references) =>
        references.Where(r => ServiceName().Match(r) is { Success: true } m
                              && m.Groups[1].Value != service
                              && Repository.Services.Contains(m.Groups[1].Value)
                              && m.Groups[2].Value != "Contracts")
            .Distinct().ToList();

    /// <summary>What of a service the web may not use: anything but its Contracts.</summary>
    public static IReadOnlyList<string> ServiceInternalsOfTheWeb(IEnumerable<string> references) =>
        ForeignServiceReferences("Web", references);

    [GeneratedRegex(@"^Mitreden\.([A-Za-z]+)\.([A-Za-z]+)$")]
    private static partial Regex ServiceName();
}
