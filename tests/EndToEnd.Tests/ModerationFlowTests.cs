using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>Comments and Moderation together, over the real broker: report → hold → decide → applied.</summary>
public sealed class ModerationFlowTests
{
    internal static async Task<JsonElement> CommentAsSeenBy(HttpClient client, Guid commentId) =>
        (await StackClient.Json(await client.GetAsync($"/api/comments/comments/{commentId}"), HttpStatusCode.OK)).GetProperty("comment");

    internal static async Task<JsonElement> ModerationEntryAsync(HttpClient moderator, Guid commentId) =>
        (await StackClient.Json(await moderator.GetAsync($"/api/moderation/comments/{commentId}"), HttpStatusCode.OK)).GetProperty("comment");

    [Fact]
    public async Task ReportedThreeTimes_IsHeld_ModeratorHides_AuthorSeesReason_ReplyStaysVisible()
    {
        using var admin = await Arrange.AdminAsync();
        var (_, itemId) = await Arrange.OpenProcessWithMeasureAsync(admin);
        var (author, _, _) = await Arrange.NewCitizenAsync();
        var (replier, _, _) = await Arrange.NewCitizenAsync();
        var commentId = await StackClient.CommentAsync(author, itemId, "Wer so etwas vorschlägt, hat keine Ahnung von nichts.");
        var replyId = await StackClient.CommentAsync(replier, itemId, "Das sehe ich anders, der Radweg ist wichtig.", commentId);

        for (var i = 0; i < 3; i++)
        {
            var (reporter, _, _) = await Arrange.NewCitizenAsync();
            (await reporter.PostAsJsonAsync($"/api/comments/comments/{commentId}/reports", new { reason = "insult", note = "beleidigend" }))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }

        // Moderation counts the reports from Comments' events and holds the comment; Comments applies the hold.
        using var anonymous = StackClient.Client();
        await Eventually.AssertAsync(async () =>
        {
            var seen = await CommentAsSeenBy(anonymous, commentId);
            seen.GetProperty("status").GetString().Should().Be("under-review");
            seen.GetProperty("text").ValueKind.Should().Be(JsonValueKind.Null);
        }, TimeSpan.FromSeconds(30));
        var queue = await StackClient.Json(await admin.GetAsync("/api/moderation/queue?pageSize=100"), HttpStatusCode.OK);
        queue.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("commentId").GetGuid()).Should().Contain(commentId);

        var entry = await ModerationEntryAsync(admin, commentId);
        entry.GetProperty("openReports").GetInt32().Should().Be(3);
        var decision = await admin.PostAsJsonAsync($"/api/moderation/comments/{commentId}/decisions", new
        {
            decision = "hide",
            version = entry.GetProperty("version").GetInt32(),
            reason = "insult",
            noteToAuthor = "Bitte bleiben Sie sachlich.",
        });
        decision.StatusCode.Should().Be(HttpStatusCode.OK, await decision.Content.ReadAsStringAsync());

        await Eventually.AssertAsync(async () =>
        {
            var own = await CommentAsSeenBy(author, commentId);
            own.GetProperty("status").GetString().Should().Be("hidden");
            own.GetProperty("moderation").GetProperty("reason").GetString().Should().Be("insult");
            own.GetProperty("moderation").GetProperty("note").GetString().Should().Be("Bitte bleiben Sie sachlich.");
        }, TimeSpan.FromSeconds(30));
        var others = await CommentAsSeenBy(anonymous, commentId);
        others.GetProperty("text").ValueKind.Should().Be(JsonValueKind.Null);
        others.GetProperty("notice").GetString().Should().Contain("ausgeblendet");
        var reply = await CommentAsSeenBy(anonymous, replyId);
        reply.GetProperty("text").GetString().Should().Be("Das sehe ich anders, der Radweg ist wichtig.",
            "replies under a hidden comment stay visible");
    }

    [Fact]
    public async Task PreModeration_CommentVisibleOnlyToAuthor_UntilModeratorApproves()
    {
        using var admin = await Arrange.AdminAsync();
        var (_, itemId) = await Arrange.OpenProcessWithMeasureAsync(admin, preModeration: true);
        var (author, _, _) = await Arrange.NewCitizenAsync();
        var commentId = await StackClient.CommentAsync(author, itemId, "Bitte auch an Fahrradstellplätze denken.");

        using var anonymous = StackClient.Client();
        (await anonymous.GetAsync($"/api/comments/comments/{commentId}")).StatusCode.Should().Be(HttpStatusCode.NotFound,
            "for everyone but its author, a comment waiting for review does not exist yet");
        (await CommentAsSeenBy(author, commentId)).GetProperty("status").GetString().Should().Be("awaiting-review");

        var entry = await Eventually.ValueAsync(() => admin.GetAsync($"/api/moderation/comments/{commentId}"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var version = (await StackClient.Json(entry, HttpStatusCode.OK)).GetProperty("comment").GetProperty("version").GetInt32();
        (await admin.PostAsJsonAsync($"/api/moderation/comments/{commentId}/decisions", new { decision = "approve", version }))
            .StatusCode.Should().Be(HttpStatusCode.OK);

        await Eventually.AssertAsync(async () =>
            (await CommentAsSeenBy(anonymous, commentId)).GetProperty("text").GetString().Should().Be("Bitte auch an Fahrradstellplätze denken."),
            TimeSpan.FromSeconds(30));
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StackRestartCollection
{
    public const string Name = "stack restarts";
}

/// <summary>
/// A moderation decision made while the Comments service is down is not lost: it waits in Comments' durable
/// queue and applies when the service is back. The real Comments process is killed and started again.
/// </summary>
[Collection(StackRestartCollection.Name)]
public sealed class ServiceDownTests
{
    [Fact]
    public async Task DecisionWhileCommentsIsDown_AppliesAfterRestart()
    {
        using var admin = await Arrange.AdminAsync();
        var (_, itemId) = await Arrange.OpenProcessWithMeasureAsync(admin);
        var (author, _, _) = await Arrange.NewCitizenAsync();
        var commentId = await StackClient.CommentAsync(author, itemId, "Ein Kommentar, über den entschieden wird, während Comments ruht.");
        var entry = await Eventually.ValueAsync(() => admin.GetAsync($"/api/moderation/comments/{commentId}"),
            r => r.StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(30));
        var version = (await StackClient.Json(entry, HttpStatusCode.OK)).GetProperty("comment").GetProperty("version").GetInt32();

        var comments = StackProcess.Find("comments");
        comments.Kill();

        (await admin.PostAsJsonAsync($"/api/moderation/comments/{commentId}/decisions",
            new { decision = "hide", version, reason = "off-topic", noteToAuthor = "Bitte beim Thema bleiben." }))
            .StatusCode.Should().Be(HttpStatusCode.OK, "Moderation decides on its own, whatever the state of Comments");
        await Task.Delay(TimeSpan.FromSeconds(2));

        await comments.StartAgainAsync();

        await Eventually.AssertAsync(async () =>
        {
            var own = await ModerationFlowTests.CommentAsSeenBy(author, commentId);
            own.GetProperty("status").GetString().Should().Be("hidden");
            own.GetProperty("moderation").GetProperty("reason").GetString().Should().Be("off-topic");
        }, TimeSpan.FromSeconds(60));
    }
}

/// <summary>A component process of the test stack, found through the pid file `./mitreden test` writes.</summary>
internal sealed class StackProcess
{
    private readonly string _name;
    private readonly int _pid;
    private readonly string _commandLine;
    private readonly string _workingDirectory;
    private readonly Dictionary<string, string> _environment;

    private StackProcess(string name, int pid)
    {
        _name = name;
        _pid = pid;
        _commandLine = File.ReadAllText($"/proc/{pid}/cmdline").TrimEnd('\0').Replace('\0', ' ');
        _workingDirectory = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(true)!.FullName;
        _environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(e => e.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
    }

    private static string PidFile(string name) =>
        Path.Combine(TestEnvironment.State ?? throw new InvalidOperationException("MITREDEN_STATE is not set."), "pids", name + ".pid");

    public static StackProcess Find(string name) => new(name, int.Parse(File.ReadAllText(PidFile(name)).Trim()));

    public void Kill()
    {
        using var process = Process.GetProcessById(_pid);
        process.Kill();
        process.WaitForExit(15_000).Should().BeTrue();
    }

    /// <summary>Starts the component as the script did (same command, folder and environment) and waits until it is ready.</summary>
    public async Task StartAgainAsync()
    {
        var log = Path.Combine(TestEnvironment.StackLogs!, _name + ".log");
        var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec {_commandLine} >> '{log}' 2>&1 < /dev/null"])
        {
            WorkingDirectory = _workingDirectory,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }
        using var process = Process.Start(start)!;
        await File.WriteAllTextAsync(PidFile(_name), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var url = _environment["ASPNETCORE_URLS"].Split(';')[0];
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        await Eventually.AssertAsync(async () =>
            (await http.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK), TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
    }
}
