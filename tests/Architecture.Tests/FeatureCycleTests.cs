using System.Text.RegularExpressions;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;

namespace Mitreden.Architecture.Tests;

/// <summary>
/// No two feature folders of a service depend on each other, directly or around a longer cycle: a feature may use the
/// service's shared folders (Domain, Data, Counting, Pipeline …) and a feature that does not use it back.
/// The rule is ArchUnitNET's slices "free of cycles", one slice per namespace Mitreden.&lt;Svc&gt;.Api.Features.&lt;Feature&gt;.
/// </summary>
public sealed partial class FeatureCycleTests
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Services = new(() =>
        new ArchLoader().LoadAssemblies(Repository.Services.Select(s => Repository.Load($"Mitreden.{s}.Api")).ToArray()).Build());

    /// <summary>The violations of "feature folders of <paramref name="service"/> are free of cycles", as text.</summary>
    private static List<string> Cycles(ArchUnitNET.Domain.Architecture architecture, string service) =>
        SliceRuleDefinition.Slices().Matching($"Mitreden.{service}.Api.Features.(*)").Should().BeFreeOfCycles()
            .Evaluate(architecture).Where(r => !r.Passed).Select(r => r.Description).ToList();

    /// <summary>"Feature -> Feature" lines of the violations: the dependencies that close a cycle.</summary>
    private static HashSet<string> CycleEdges(IEnumerable<string> violations) =>
        violations.SelectMany(v => v.Split('\n')).Select(l => l.TrimEnd('\r')).Where(l => Edge().IsMatch(l)).ToHashSet();

    [GeneratedRegex(@"^[A-Za-z0-9]+ -> [A-Za-z0-9]+$")]
    private static partial Regex Edge();

    public static TheoryData<string> ServiceNames => new(Repository.Services);

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void FeatureFolders_OfEachService_AreFreeOfCycles(string service)
    {
        Services.Value.Types.Should().Contain(t => t.Namespace.FullName.StartsWith($"Mitreden.{service}.Api.Features.", StringComparison.Ordinal),
            "the service's feature folders are loaded (else the rule would pass on nothing)");

        var cycles = Cycles(Services.Value, service);

        cycles.Should().BeEmpty("these dependencies between feature folders close a cycle (what several features use "
            + "belongs in a shared folder of the service, such as Domain/)");
    }

    [Fact]
    public void FeatureFolders_WithACycle_Fail()
    {
        // Fixtures in this assembly: Features.Alpha → Features.Beta → Features.Gamma → Features.Alpha.
        var architecture = new ArchLoader().LoadAssemblies(typeof(FeatureCycleTests).Assembly).Build();

        var violations = Cycles(architecture, "Fixture");

        violations.Should().NotBeEmpty();
        CycleEdges(violations).Should().BeEquivalentTo("Alpha -> Beta", "Beta -> Gamma", "Gamma -> Alpha");
    }
}
