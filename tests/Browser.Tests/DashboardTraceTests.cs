using System.Diagnostics;
using FluentAssertions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Mitreden.Browser.Tests;

/// <summary>
/// The telemetry you can see: one vote cast through the gateway shows up in the Aspire dashboard as one trace that
/// runs through the gateway, the Voting API and the vote consumer into PostgreSQL.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardTraceTests(BrowserFixture fixture, DashboardFixture dashboard, ITestOutputHelper output)
    : IClassFixture<DashboardFixture>
{
    [Fact]
    public async Task Dashboard_VoteCastThroughGateway_ShowsOneTraceFromGatewayToVoteConsumer()
    {
        _ = dashboard;
        var api = fixture.Api;
        var staff = await api.NewUserAsync("Stadt", "staff");
        var staffToken = await api.TokenAsync(staff.Email, staff.Password);
        var process = await api.NewProcessAsync(staffToken, measures: 2);
        var ballotId = await api.NewBallotAsync(staffToken, process, "support", maxSelections: null, visibility: "live");
        var options = await api.OptionIdsAsync(ballotId);
        var voter = await api.NewUserAsync("Spurwaehler");
        var voterToken = await api.TokenAsync(voter.Email, voter.Password);

        // The test starts the trace itself, so it knows which one to look for among everything else the stack sends.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var cast = await api.SendAsync(HttpMethod.Post, $"/api/voting/ballots/{ballotId}/votes", voterToken,
                   new { selected = new[] { options[0] } },
                   new Dictionary<string, string> { ["traceparent"] = $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01" }))
        {
            cast.IsSuccessStatusCode.Should().BeTrue(await cast.Content.ReadAsStringAsync());
        }

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = DashboardFixture.Url.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        context.SetDefaultTimeout(45_000);
        try
        {
            var page = await context.NewPageAsync();
            // The traces page, filtered by the trace id. The components export every two seconds and the consumer
            // writes the vote a moment after the receipt: reload until the trace has the consumer's spans too.
            var row = page.Locator($"[role=gridcell][title*='Trace Id: {traceId}']");
            var spansOfRow = page.Locator("[role=row]", new() { Has = row }).Locator(".trace-service-tag");
            var resources = new List<string>();
            await Eventually.TrueAsync(() => NotYetOnTimeoutAsync(async () =>
            {
                await page.GotoAsync("/traces");
                await page.Locator("[name=traces-search] input").FillAsync(traceId);
                if (!await AppearsAsync(row.First))
                {
                    return false;
                }
                resources = [.. await spansOfRow.AllInnerTextsAsync()];
                return resources.Any(r => r.StartsWith("gateway", StringComparison.Ordinal))
                       && resources.Any(r => r.StartsWith("voting", StringComparison.Ordinal))
                       && (await row.First.GetAttributeAsync("title", new() { Timeout = 5_000 }) ?? "").Contains("Name: gateway:", StringComparison.Ordinal);
            }), TimeSpan.FromSeconds(90), $"trace {traceId} with spans of gateway and voting did not appear on the dashboard's traces page");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Stack.ScreenshotDirectory, "dashboard-traces.png") });

            // Its detail page: every span with its resource, down to the consumer's batch and its database commands.
            // Each process exports on its own two-second timer, so the consumer's spans can be on the page before the
            // Voting API's: look again until the spans of every hop are there, then say which one is missing.
            string text = "";
            await Eventually.TrueAsync(() => NotYetOnTimeoutAsync(async () =>
            {
                await page.GotoAsync($"/traces/detail/{traceId}");
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Stack.ScreenshotDirectory, "dashboard-vote-trace.png"), FullPage = true });
                if (!await AppearsAsync(page.GetByText("postgresql").First))
                {
                    return false;
                }
                text = await page.Locator("main").First.InnerTextAsync(new() { Timeout = 5_000 });
                return HasEveryHop(text);
            }), TimeSpan.FromSeconds(90), $"trace {traceId} did not show every hop from the gateway to the vote consumer's database commands");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Stack.ScreenshotDirectory, "dashboard-vote-trace.png"), FullPage = true });
            output.WriteLine($"trace {traceId}, resources on the traces page: {string.Join(", ", resources)}");
            output.WriteLine(text);

            // The dashboard shows a messaging span as "MSG <system> <destination>": the Voting API's "votes publish"
            // and the consumer's "votes process" (whose children are the batch's database commands).
            text.Should().Contain("POST /api/voting/ballots/{id}/votes", "the trace starts at the gateway")
                .And.Contain("POST /ballots/{id:guid}/votes", "the gateway forwards the vote to the Voting API")
                .And.Contain("postgresql", "the consumer's database commands belong to the trace");
            text.Split("MSG rabbitmq votes").Length.Should().BeGreaterThanOrEqualTo(3,
                "the publish span of the Voting API and the process span of the vote consumer are both in the trace");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static bool HasEveryHop(string text) =>
        text.Contains("POST /api/voting/ballots/{id}/votes", StringComparison.Ordinal)
        && text.Contains("POST /ballots/{id:guid}/votes", StringComparison.Ordinal)
        && text.Contains("postgresql", StringComparison.Ordinal)
        && text.Split("MSG rabbitmq votes").Length >= 3;

    /// <summary>The dashboard re-renders its grid as telemetry arrives: an element that went away means "look again".</summary>
    private static async Task<bool> NotYetOnTimeoutAsync(Func<Task<bool>> attempt)
    {
        try
        {
            return await attempt();
        }
        catch (Exception ex) when (ex is System.TimeoutException or PlaywrightException)
        {
            return false;
        }
    }

    private static async Task<bool> AppearsAsync(ILocator locator)
    {
        try
        {
            await locator.WaitForAsync(new() { Timeout = 5_000 });
            return true;
        }
        catch (Exception ex) when (ex is System.TimeoutException or PlaywrightException)
        {
            return false;
        }
    }
}
