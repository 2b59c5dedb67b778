using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FluentAssertions;
using Microsoft.Playwright;

namespace Mitreden.Browser.Tests;

/// <summary>
/// One person's browser. Every page it lands on is checked with axe (no serious or critical violation) and
/// photographed into the screenshots folder.
/// </summary>
public sealed partial class Ui(IBrowserContext context, IPage page, string who, bool javaScript) : IAsyncDisposable
{
    private static int _shots;

    public IPage Page => page;

    public ILocator Main => page.Locator("main");

    /// <summary>Opens a page, expects a successful answer, checks accessibility and takes a screenshot.</summary>
    public async Task VisitAsync(string path, string name)
    {
        var response = await page.GotoAsync(path);
        response.Should().NotBeNull();
        response!.Status.Should().BeLessThan(400, $"{path} should load for {who}, got {response.Status}: {await SafeTextAsync()}");
        await CheckAsync(name);
    }

    /// <summary>Requests of the page not yet finished, with their start: named when a page never finishes loading.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<IRequest, DateTime> _open = Track(page);

    private static System.Collections.Concurrent.ConcurrentDictionary<IRequest, DateTime> Track(IPage page)
    {
        var open = new System.Collections.Concurrent.ConcurrentDictionary<IRequest, DateTime>();
        page.Request += (_, request) => open[request] = DateTime.UtcNow;
        page.RequestFinished += (_, request) => open.TryRemove(request, out DateTime _);
        page.RequestFailed += (_, request) => open.TryRemove(request, out DateTime _);
        return open;
    }

    /// <summary>Waits until the current document is parsed; on a timeout says where the page stood.</summary>
    private async Task WaitForDocumentAsync()
    {
        try
        {
            await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        }
        catch (TimeoutException e)
        {
            // Under load Playwright can miss the event of a document that was parsed while the wait began (the page is
            // loaded, nothing is open, yet the wait runs out): ask the document itself before calling it stuck.
            if (await ReadyStateAsync() is "interactive" or "complete")
            {
                return;
            }
            var open = string.Join(", ", _open.Select(r => $"{r.Key.Method} {r.Key.Url} since {r.Value:HH:mm:ss.fff}"));
            throw new TimeoutException($"{e.Message.Split('\n')[0]} Page: {page.Url}; requests still open: {(open.Length > 0 ? open : "none")}.", e);
        }
    }

    /// <summary>The document's own readyState, or null when the page does not answer within seconds.</summary>
    private async Task<string?> ReadyStateAsync()
    {
        try
        {
            return await page.EvaluateAsync<string>("document.readyState").WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException)
        {
            return null;
        }
    }

    /// <summary>The page as it is now (after a form was sent): axe and a screenshot.</summary>
    public async Task CheckAsync(string name)
    {
        await WaitForDocumentAsync();
        var html = await page.ContentAsync();
        html.Should().NotContain("   at Mitreden.", "no page may show a stack trace");
        await AssertNoEnglishInGermanAsync(name);
        if (javaScript)
        {
            await AssertAccessibleAsync(name);
        }
        var file = Path.Combine(Stack.ScreenshotDirectory, $"{Interlocked.Increment(ref _shots):000}-{Slug().Replace(name, "-")}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }

    /// <summary>axe-core needs script in the page; pages of a context without JavaScript are checked in the other journeys.</summary>
    private async Task AssertAccessibleAsync(string name)
    {
        var results = await page.RunAxe();
        var severe = results.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        severe.Should().BeEmpty($"the page '{name}' ({page.Url}) must have no serious or critical accessibility violation:\n" +
            string.Join("\n", severe.Select(v => $"- {v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>
    /// The German UI scan: every German page (html lang="de") this browser lands on, in every journey and role, must hold
    /// no English sentence (a service's English detail, a framework message). Text the page shows as data is left out.
    /// </summary>
    private async Task AssertNoEnglishInGermanAsync(string name)
    {
        var lang = await page.Locator("html").GetAttributeAsync("lang");
        if (lang is null || !lang.StartsWith("de", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        var text = await page.EvaluateAsync<string>(
            "() => { const b = document.body.cloneNode(true); b.querySelectorAll('[data-user-text],[lang]:not([lang^=de]),script,style,code,pre').forEach(e => e.remove()); return b.innerText; }");
        EnglishSentences(text).Should().BeEmpty($"the German page '{name}' ({page.Url}) must say everything in German");
    }

    /// <summary>Words that are common in English sentences and do not occur as German words.</summary>
    private static readonly HashSet<string> EnglishWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "is", "are", "not", "you", "your", "must", "please", "with", "be", "has", "have", "for", "cannot", "can't", "there",
        "only", "can", "may", "this", "that", "it", "or", "of", "to", "and", "by", "from", "on", "them", "they", "their", "again",
        "whole", "upload", "fix", "file", "found", "allowed", "should", "would", "could", "which", "what", "when", "where", "been",
        "does", "do", "did", "one", "into", "out", "about", "after", "before", "than", "more", "no", "problem(s)", "problems", "invalid",
        "required", "unknown", "failed", "error", "missing", "characters", "least", "most", "between", "value", "valid",
    };

    /// <summary>Sentences with at least two distinct English words that make up at least a third of their words.</summary>
    public static IReadOnlyList<string> EnglishSentences(string text) =>
        SentenceSplit().Split(text)
            .Select(s => s.Trim())
            .Where(s =>
            {
                var words = Words().Matches(s).Select(m => m.Value).ToList();
                var english = words.Where(EnglishWords.Contains).ToList();
                return words.Count >= 3 && english.Distinct(StringComparer.OrdinalIgnoreCase).Count() >= 2 && english.Count * 3 >= words.Count;
            })
            .ToList();

    [GeneratedRegex(@"(?<=[.!?:])\s+|\n")]
    private static partial Regex SentenceSplit();

    [GeneratedRegex(@"[\p{L}'()]+")]
    private static partial Regex Words();

    /// <summary>Clicks a submit button and waits for the page that the POST leads to.</summary>
    public async Task SubmitAsync(ILocator button, string name)
    {
        await button.ClickAsync();
        await WaitForDocumentAsync();
        await CheckAsync(name);
    }

    /// <summary>The web's sign-in start: the code flow leads to Identity's sign-in page, and back to the return address.</summary>
    public async Task SignInAsync(TestUser user, string? returnUrl = null)
    {
        await VisitAsync("/anmelden" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl)), "anmelden");
        await SignInHereAsync(user);
    }

    /// <summary>On Identity's sign-in page (reached through the code flow): the credentials, then back in the web.</summary>
    public async Task SignInHereAsync(TestUser user)
    {
        page.Url.Should().Contain(IdentitySignInPage, "signing in happens on Identity's page, within an authorization request");
        await Main.GetByLabel("E-Mail-Adresse").FillAsync(user.Email);
        await Main.GetByLabel("Passwort").FillAsync(user.Password);
        await SubmitAsync(Main.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }), "angemeldet");
        (await page.Locator("header").InnerTextAsync()).Should().Contain(user.DisplayName, "the header shows who is signed in");
    }

    /// <summary>Identity's sign-in page serving an authorization request (the browser's address while signing in).</summary>
    public const string IdentitySignInPage = "/konto/anmelden?returnUrl=%2Fapi%2Fidentity%2Fconnect%2Fauthorize%3F";

    private async Task<string> SafeTextAsync()
    {
        try
        {
            var text = await Main.InnerTextAsync(new() { Timeout = 2000 });
            return text.Length > 400 ? text[..400] : text;
        }
        catch (PlaywrightException)
        {
            return "";
        }
    }

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex Slug();

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
