using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}

/// <summary>
/// One Chromium for all journeys (the system's /usr/bin/chromium, never a downloaded one) and a check that the stack
/// answers: if it does not, every test fails with the reason instead of being skipped.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public StackApi Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var gateway = Stack.Gateway;
        using (var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            string? problem = null;
            for (var attempt = 0; attempt < 20; attempt++)
            {
                try
                {
                    using var response = await probe.GetAsync(new Uri(gateway, "/health/ready"));
                    using var page = await probe.GetAsync(gateway);
                    if (response.IsSuccessStatusCode && (int)page.StatusCode < 500)
                    {
                        problem = null;
                        break;
                    }
                    problem = $"gateway /health/ready answered {(int)response.StatusCode}, the start page {(int)page.StatusCode}";
                }
                catch (HttpRequestException ex)
                {
                    problem = ex.Message;
                }
                await Task.Delay(500);
            }
            if (problem is not null)
            {
                throw new InvalidOperationException(
                    $"The Mitreden stack is not available at {gateway} ({problem}). Start it with './mitreden test' (or './mitreden up' for a manual run).");
            }
        }
        if (!File.Exists(Stack.ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {Stack.ChromiumPath} (set PLAYWRIGHT_CHROMIUM; install the Debian package 'chromium').");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Stack.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic"],
        });
        Api = new StackApi();
    }

    /// <summary>A fresh browser profile (own cookies) in German, optionally without JavaScript.</summary>
    public async Task<Ui> NewUiAsync(string who, bool javaScript = true)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Stack.Gateway.ToString().TrimEnd('/'),
            Locale = "de-DE",
            JavaScriptEnabled = javaScript,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            // Each profile is one person at an address of its own (the gateway trusts X-Forwarded-For from
            // loopback), so the per-address limits of one journey (e.g. 10 sign-ins a minute) do not hit another.
            ExtraHTTPHeaders = new Dictionary<string, string>
            {
                ["X-Forwarded-For"] = $"198.18.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}",
            },
        });
        context.SetDefaultTimeout(45_000);   // headroom for a cold stack on a busy CI machine; costs nothing when pages are fast
        var page = await context.NewPageAsync();
        return new Ui(context, page, who, javaScript);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
    }
}
