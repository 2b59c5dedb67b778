using System.Net;
using System.Text;
using Mitreden.Proposals.Api;
using Mitreden.Proposals.Api.Data;
using Mitreden.Proposals.Api.Features.Import;
using Mitreden.TestKit;

namespace Mitreden.Proposals.Tests;

/// <summary>Body limits are enforced by Kestrel only (the in-memory test server has none), so this class runs on real Kestrel.</summary>
public sealed class BodyLimitTests : IAsyncLifetime
{
    private readonly ServiceFactory<ProposalsDb> _factory = new("proposals");

    public async Task InitializeAsync()
    {
        await ((IAsyncLifetime)_factory).InitializeAsync();
        _factory.UseKestrel(0);
        _factory.StartServer();
    }

    public Task DisposeAsync() => ((IAsyncLifetime)_factory).DisposeAsync();

    [Fact]
    public async Task Import_CsvOverOneMegabyte_IsAcceptedWhileOtherEndpointsKeepTheOneMegabyteLimit()
    {
        var process = await _factory.CreatePublishedProcessAsync();
        var staff = _factory.Staff();
        var filler = new string('x', 1500);
        var csv = new StringBuilder("kind;title;description\n");
        for (var i = 0; i < 800; i++)
        {
            csv.Append($"measure;Maßnahme {i};{filler}\n");
        }
        csv.Length.Should().BeGreaterThan(1024 * 1024);

        var imported = await (await staff.PostAsync($"/processes/{process.Id}/items/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv")))
            .Read<ImportResult>();
        imported.Imported.Should().Be(800);

        var tooBig = await staff.PostJson("/processes", new { title = "Groß", description = new string('x', 1_200_000), city = "Stadt" });
        tooBig.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
    }
}
