using FluentAssertions;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Every endpoint the services publish must have a row in the expectation table and vice versa, so a new endpoint can
/// not be added without deciding who may call it (and without the hostile-input tests reaching it).
/// </summary>
public sealed class InventoryTests
{
    [Fact]
    public async Task OpenApi_EveryEndpoint_HasAnExpectation()
    {
        var operations = await OpenApi.OperationsAsync();
        var expected = Endpoints.All.Select(e => e.Key).ToHashSet();

        var missing = operations.Select(o => o.Key).Where(k => !expected.Contains(k)).ToList();

        operations.Should().HaveCountGreaterThan(80, "five services publish their whole API");
        missing.Should().BeEmpty("every public endpoint needs a row in Endpoints.All saying who may call it");
    }

    [Fact]
    public async Task Expectations_EveryRow_IsAnEndpointInOpenApi()
    {
        var published = (await OpenApi.OperationsAsync()).Select(o => o.Key).ToHashSet();

        var stale = Endpoints.All.Select(e => e.Key).Where(k => !published.Contains(k)).Distinct().ToList();

        stale.Should().BeEmpty("a row for an endpoint that no longer exists tests nothing");
    }
}
