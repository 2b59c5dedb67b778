using System.Net;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// #18 part 4, tested the way hidden results are: an internal process (staff only) and a members-only process (accounts
/// staff invited), each with a phase, an item on the map, a comment, a live ballot with a vote, an open survey, an event, a document and a news
/// post.
/// For every observer every channel is scanned — lists, details, comments, ballots, results, the live stream, votes,
/// feeds — through the gateway: those who may not see the process get 404 (or do not find it in a list, and its unique
/// marker appears in no answer); members see the members-only process and may comment and vote there; staff see both.
/// </summary>
public sealed class ProcessVisibilityTests
{
    private sealed record Content(string Marker, Guid ProcessId, Guid PhaseId, Guid ItemId, Guid CommentId, Guid BallotId, Guid EventId,
        Guid DocumentId, Guid NewsId, Guid SurveyId);

    [Fact]
    public async Task InternalAndMembersOnlyProcesses_EveryChannel_ShowsThemOnlyToThoseWhoMaySeeThem()
    {
        var world = await World.GetAsync();
        using var staff = world.ClientFor(Who.Staff);
        var (memberId, memberEmail) = await StackClient.RegisterAsync("member");
        await StackClient.ConfirmEmailAsync(memberEmail);
        var memberToken = await StackClient.TokenAsync(memberEmail, StackClient.Password);

        var @internal = await CreateAsync(staff, "internal", members: []);
        var membersOnly = await CreateAsync(staff, "members", members: [memberId]);

        // Comments and Voting follow Proposals' events: wait until both refuse an anonymous caller.
        using (var anonymous = StackClient.Client())
        {
            foreach (var content in new[] { @internal, membersOnly })
            {
                await Eventually.AssertAsync(async () =>
                {
                    using var comment = await StackClient.GetAsync(anonymous, $"/api/comments/comments/{content.CommentId}");
                    comment.StatusCode.Should().Be(HttpStatusCode.NotFound);
                    using var ballot = await StackClient.GetAsync(anonymous, $"/api/voting/ballots/{content.BallotId}");
                    ballot.StatusCode.Should().Be(HttpStatusCode.NotFound);
                }, TimeSpan.FromSeconds(30));
            }
        }

        var leaks = new List<string>();
        var observers = new (string Label, string? Token, bool SeesInternal, bool SeesMembers)[]
        {
            ("anonymous", null, false, false),
            ("citizen", world.Tokens[Who.Citizen], false, false),
            ("moderator", world.Tokens[Who.Moderator], false, false),
            ("member", memberToken, false, true),
            ("staff", world.Tokens[Who.Staff], true, true),
            ("admin", world.Tokens[Who.Admin], true, true),
        };
        foreach (var (label, token, seesInternal, seesMembers) in observers)
        {
            using var client = StackClient.Client(token);
            foreach (var (content, sees) in new[] { (@internal, seesInternal), (membersOnly, seesMembers) })
            {
                var who = $"{label} on {content.Marker}";
                await ScanAsync(client, content, sees, who, leaks);
                await ListsAsync(client, content, sees, who, leaks);
            }
        }

        // Writes: those who may not see a process cannot comment or vote in it; the member can, in the members-only one.
        using (var citizen = world.ClientFor(Who.Citizen))
        {
            foreach (var content in new[] { @internal, membersOnly })
            {
                await ExpectAsync(citizen, HttpMethod.Post, $"/api/comments/items/{content.ItemId}/comments", new { text = "Darf ich?", stance = "neutral" },
                    HttpStatusCode.NotFound, $"citizen comments on {content.Marker}", leaks);
                await ExpectAsync(citizen, HttpMethod.Post, $"/api/voting/ballots/{content.BallotId}/votes", new { selected = Array.Empty<Guid>() },
                    HttpStatusCode.NotFound, $"citizen votes on {content.Marker}", leaks);
                await ExpectAsync(citizen, HttpMethod.Post, $"/api/voting/surveys/{content.SurveyId}/answers", new { answers = Array.Empty<object>() },
                    HttpStatusCode.NotFound, $"citizen answers the survey of {content.Marker}", leaks);
                await ExpectAsync(citizen, HttpMethod.Post, $"/api/comments/comments/{content.CommentId}/upvote", null,
                    HttpStatusCode.NotFound, $"citizen up-votes on {content.Marker}", leaks);
                await ExpectAsync(citizen, HttpMethod.Post, $"/api/comments/comments/{content.CommentId}/reports", new { reason = "spam" },
                    HttpStatusCode.NotFound, $"citizen reports on {content.Marker}", leaks);
            }
        }
        using (var member = StackClient.Client(memberToken))
        {
            await ExpectAsync(member, HttpMethod.Post, $"/api/comments/items/{membersOnly.ItemId}/comments", new { text = "Als Mitglied dabei.", stance = "pro" },
                HttpStatusCode.Created, "member comments on the members-only process", leaks);
            await ExpectAsync(member, HttpMethod.Post, $"/api/comments/items/{@internal.ItemId}/comments", new { text = "Darf ich?", stance = "pro" },
                HttpStatusCode.NotFound, "member comments on the internal process", leaks);
        }

        leaks.Should().BeEmpty("an internal or members-only process must not show up in any channel for anyone who may not see it");
    }

    /// <summary>Every detail channel: 200 (with the marker where the answer names it) for those who see, 404 for the others.</summary>
    private static async Task ScanAsync(HttpClient client, Content c, bool sees, string who, List<string> leaks)
    {
        var p = $"/api/proposals/processes/{c.ProcessId}";
        var details = new[]
        {
            p, $"{p}/phases", $"{p}/phases/{c.PhaseId}", $"{p}/fields-of-action", $"{p}/themes", $"{p}/items", $"/api/proposals/items/{c.ItemId}",
            $"{p}/monitoring", $"{p}/monitoring/report?format=json", $"{p}/news", $"{p}/news/{c.NewsId}", $"{p}/documents",
            $"{p}/documents/{c.DocumentId}/content", $"{p}/events?when=all", $"{p}/events/{c.EventId}", $"{p}/events/calendar",
            $"{p}/events/{c.EventId}/calendar", $"{p}/map",
            $"/api/comments/items/{c.ItemId}/comments", $"/api/comments/items/{c.ItemId}/commenting", $"/api/comments/comments/{c.CommentId}",
            $"/api/comments/comments/{c.CommentId}/replies",
            $"/api/voting/ballots/{c.BallotId}", $"/api/voting/ballots/{c.BallotId}/results", $"/api/voting/ballots/{c.BallotId}/results/versions",
            $"/api/voting/surveys/{c.SurveyId}",
        };
        foreach (var path in details)
        {
            using var response = await StackClient.GetAsync(client, path);
            var body = await response.Content.ReadAsStringAsync();
            if (sees ? response.StatusCode != HttpStatusCode.OK : response.StatusCode != HttpStatusCode.NotFound || body.Contains(c.Marker, StringComparison.Ordinal))
            {
                leaks.Add($"{who}: GET {path} answered {(int)response.StatusCode}{(sees ? "" : " " + Cut(body))}");
            }
        }
        // A survey's results are staff-only until a public close, so those who see the process may still get 403 there.
        using (var results = await StackClient.GetAsync(client, $"/api/voting/surveys/{c.SurveyId}/results"))
        {
            if (!sees && results.StatusCode != HttpStatusCode.NotFound)
            {
                leaks.Add($"{who}: the survey's results answered {(int)results.StatusCode}");
            }
        }
        using (var stream = await StackClient.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, $"/api/voting/ballots/{c.BallotId}/results/stream"),
                   HttpCompletionOption.ResponseHeadersRead))
        {
            if (stream.StatusCode != (sees ? HttpStatusCode.OK : HttpStatusCode.NotFound))
            {
                leaks.Add($"{who}: the live results stream answered {(int)stream.StatusCode}");
            }
        }
        if (client.DefaultRequestHeaders.Authorization is not null)
        {
            using var mine = await StackClient.GetAsync(client, $"/api/voting/ballots/{c.BallotId}/votes/me");
            if (!sees && mine.StatusCode != HttpStatusCode.NotFound)
            {
                leaks.Add($"{who}: my vote answered {(int)mine.StatusCode}");
            }
            using var eligibility = await StackClient.GetAsync(client, $"/api/voting/ballots/{c.BallotId}/eligibility/me");
            if (!sees && eligibility.StatusCode != HttpStatusCode.NotFound)
            {
                leaks.Add($"{who}: my eligibility answered {(int)eligibility.StatusCode}");
            }
            using var answered = await StackClient.GetAsync(client, $"/api/voting/surveys/{c.SurveyId}/answers/me");
            if (!sees && answered.StatusCode != HttpStatusCode.NotFound)
            {
                leaks.Add($"{who}: my survey answer answered {(int)answered.StatusCode}");
            }
        }
        else
        {
            // The web's feeds (Atom, iCalendar) ask the services with the visitor's rights.
            foreach (var path in new[] { $"/prozesse/{c.ProcessId}/neuigkeiten.atom", $"/prozesse/{c.ProcessId}/veranstaltungen.ics",
                         $"/prozesse/{c.ProcessId}/veranstaltungen/{c.EventId}.ics", $"/prozesse/{c.ProcessId}" })
            {
                using var response = await StackClient.GetAsync(client, path);
                var body = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode || body.Contains(c.Marker, StringComparison.Ordinal))
                {
                    leaks.Add($"{who}: web GET {path} answered {(int)response.StatusCode}");
                }
            }
        }
    }

    /// <summary>Lists and searches across processes: the process, its ballot and its marker are in them exactly for those who see.</summary>
    private static async Task ListsAsync(HttpClient client, Content c, bool sees, string who, List<string> leaks)
    {
        var lists = new List<(string Path, Guid Id)>
        {
            ("/api/proposals/processes", c.ProcessId),
            ("/api/voting/ballots", c.BallotId),
            ($"/api/voting/ballots?processId={c.ProcessId}", c.BallotId),
            ($"/api/voting/surveys?processId={c.ProcessId}", c.SurveyId),
        };
        foreach (var (path, id) in lists)
        {
            using var response = await StackClient.GetAsync(client, path);
            var body = await response.Content.ReadAsStringAsync();
            var found = body.Contains(id.ToString(), StringComparison.OrdinalIgnoreCase) || body.Contains(c.Marker, StringComparison.Ordinal);
            if (response.StatusCode != HttpStatusCode.OK || found != sees)
            {
                leaks.Add($"{who}: GET {path} answered {(int)response.StatusCode} and {(found ? "lists" : "does not list")} it");
            }
        }
        if (client.DefaultRequestHeaders.Authorization is not null)
        {
            foreach (var path in new[] { "/api/proposals/me/event-registrations", "/api/comments/me/comments" })
            {
                using var response = await StackClient.GetAsync(client, path);
                var body = await response.Content.ReadAsStringAsync();
                if (!sees && body.Contains(c.Marker, StringComparison.Ordinal))
                {
                    leaks.Add($"{who}: GET {path} names it");
                }
            }
        }
    }

    private static async Task ExpectAsync(HttpClient client, HttpMethod method, string path, object? body, HttpStatusCode expected, string who,
        List<string> leaks)
    {
        using var response = await StackClient.SendAsync(client, () => new HttpRequestMessage(method, path)
        {
            Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body),
        });
        if (response.StatusCode != expected)
        {
            leaks.Add($"{who}: {method} {path} answered {(int)response.StatusCode} {Cut(await response.Content.ReadAsStringAsync())}");
        }
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] : text;

    /// <summary>A process born with its visibility (and members), with content of every kind, a comment by staff and a counted vote.</summary>
    private static async Task<Content> CreateAsync(HttpClient staff, string visibility, Guid[] members)
    {
        var marker = $"Sichtbarkeit-{visibility}-{Guid.NewGuid():N}"[..30];
        var processId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, "/api/proposals/processes",
            new { title = marker, city = "Bergkamen", description = "Interne Werkstatt " + marker, visibility }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        foreach (var member in members)
        {
            await StackClient.Json(await StackClient.PutJsonAsync(staff, $"/api/proposals/processes/{processId}/members/{member}", null), HttpStatusCode.OK);
        }
        var p = $"/api/proposals/processes/{processId}";
        var now = DateTimeOffset.UtcNow;
        var phaseId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/phases", new
        {
            title = "Werkstatt " + marker, kind = "workshop", startsAt = now.AddMinutes(-5), endsAt = now.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = true },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/publish", null), HttpStatusCode.OK);
        var itemId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/items",
            new { title = "Maßnahme " + marker, description = "Intern " + marker, kind = "measure", location = new { latitude = 51.62, longitude = 7.63 } }),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var newsId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/news", new { title = "Stand " + marker, body = "Text " + marker }),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var startsAt = now.AddDays(3);
        var eventId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/events",
            new { title = "Workshop " + marker, startsAt, endsAt = startsAt.AddHours(2), place = "Rathaus Bergkamen" }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "werkstatt.pdf");
        form.Add(new StringContent("Protokoll " + marker), "title");
        var documentId = (await StackClient.Json(await staff.PostAsync($"{p}/documents", form), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var commentId = await StackClient.CommentAsync(staff, itemId, "Kommentar " + marker);
        var ballotId = await Eventually.ValueAsync(async () =>
        {
            using var created = await StackClient.PostJsonAsync(staff, "/api/voting/ballots", new
            {
                processId, phaseId, title = "Abstimmung " + marker, method = "support", visibility = "live", eligibility = new { kind = "verified" },
                options = new[] { new { itemId, title = "Maßnahme " + marker } }, opensAt = now.AddMinutes(-1), closesAt = now.AddDays(3),
            });
            return created.StatusCode == HttpStatusCode.Created
                ? JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid()
                : Guid.Empty;
        }, id => id != Guid.Empty, TimeSpan.FromSeconds(30));
        ballotId.Should().NotBeEmpty();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/ballots/{ballotId}/open", null), HttpStatusCode.OK);
        var surveyId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, "/api/voting/surveys", new
        {
            processId, phaseId, title = "Umfrage " + marker,
            questions = new[] { new { kind = "single", text = "Frage " + marker, options = new[] { "Ja", "Nein" } } },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/surveys/{surveyId}/open", null), HttpStatusCode.OK);
        return new Content(marker, processId, phaseId, itemId, commentId, ballotId, eventId, documentId, newsId, surveyId);
    }
}
