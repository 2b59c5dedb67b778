using System.Net;
using System.Text.Json;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// #18 part 4 at phase level, tested the way hidden results are: a public process whose running phase staff made
/// internal (the workshops), with an item and a comment on it, an event, a document, a document attached to the event
/// and a live ballot in that phase. For every observer every channel is scanned through the gateway — the process's lists and pages, phase, event,
/// calendar, document, item (list, search, count, monitoring), comments, ballot, results, live stream, eligibility, my vote, the web's feeds: those who are not staff get
/// 404 or do not find it, and its unique marker appears in no answer, while the public part of the process stays
/// visible; staff see everything.
/// </summary>
public sealed class PhaseVisibilityTests
{
    [Fact]
    public async Task InternalPhase_EveryChannel_ShowsItOnlyToStaff()
    {
        var world = await World.GetAsync();
        using var staff = world.ClientFor(Who.Staff);
        var (memberId, memberEmail) = await StackClient.RegisterAsync("phasemember");
        await StackClient.ConfirmEmailAsync(memberEmail);
        var memberToken = await StackClient.TokenAsync(memberEmail, StackClient.Password);

        var marker = $"Phase-intern-{Guid.NewGuid():N}"[..28];
        var processTitle = $"Öffentlich-{Guid.NewGuid():N}"[..24];
        var processId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, "/api/proposals/processes",
            new { title = processTitle, city = "Bergkamen", description = "Öffentlicher Prozess" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var p = $"/api/proposals/processes/{processId}";
        await StackClient.Json(await StackClient.PutJsonAsync(staff, $"{p}/members/{memberId}", null), HttpStatusCode.OK);
        var now = DateTimeOffset.UtcNow;
        var publicPhaseId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/phases", new
        {
            title = "Auftakt", kind = "kickoff", startsAt = now.AddDays(-30), endsAt = now.AddDays(-20),
            switches = new { proposing = false, commenting = false, preModeration = false, voting = false, resultsVisible = false },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var phaseId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/phases", new
        {
            title = "Werkstatt " + marker, kind = "workshop", startsAt = now.AddMinutes(-5), endsAt = now.AddDays(7),
            switches = new { proposing = false, commenting = true, preModeration = false, voting = true, resultsVisible = true },
        }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/publish", null), HttpStatusCode.OK);
        var visibility = await StackClient.Json(await StackClient.PutJsonAsync(staff, $"{p}/phases/{phaseId}/visibility", new { visibility = "internal" }), HttpStatusCode.OK);
        visibility.GetProperty("effective").GetString().Should().Be("internal");

        var itemId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/items",
            new { title = "Maßnahme " + marker, description = "Aus der Werkstatt " + marker, kind = "measure", phaseId }), HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        var commentId = await StackClient.CommentAsync(staff, itemId, "Kommentar " + marker);
        var startsAt = now.AddDays(3);
        var eventId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"{p}/events",
            new { title = "Workshop " + marker, startsAt, endsAt = startsAt.AddHours(2), place = "Rathaus Bergkamen", phaseId, registration = true }),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var documentId = await UploadAsync(staff, p, "Unterlagen " + marker, "phaseId", phaseId);
        var minutesId = await UploadAsync(staff, p, "Protokoll " + marker, "eventId", eventId);
        var ballotId = await Eventually.ValueAsync(async () =>
        {
            using var created = await StackClient.PostJsonAsync(staff, "/api/voting/ballots", new
            {
                processId, phaseId, title = "Abstimmung " + marker, method = "support", visibility = "live", eligibility = new { kind = "verified" },
                options = new[] { new { title = "Option A " + marker }, new { title = "Option B " + marker } }, opensAt = now.AddMinutes(-1), closesAt = now.AddDays(3),
            });
            return created.StatusCode == HttpStatusCode.Created
                ? JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid()
                : Guid.Empty;
        }, id => id != Guid.Empty, TimeSpan.FromSeconds(30));
        ballotId.Should().NotBeEmpty();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/ballots/{ballotId}/open", null), HttpStatusCode.OK);

        // Comments and Voting follow Proposals' events: wait until both refuse an anonymous caller.
        using (var anonymous = StackClient.Client())
        {
            await Eventually.AssertAsync(async () =>
            {
                using var ballot = await StackClient.GetAsync(anonymous, $"/api/voting/ballots/{ballotId}");
                ballot.StatusCode.Should().Be(HttpStatusCode.NotFound);
                using var comment = await StackClient.GetAsync(anonymous, $"/api/comments/comments/{commentId}");
                comment.StatusCode.Should().Be(HttpStatusCode.NotFound);
            }, TimeSpan.FromSeconds(30));
        }
        // The other Voting instance behind the gateway reads its copy again within 2 s (ProcessGate.MaxAge).
        await Task.Delay(TimeSpan.FromSeconds(3));

        var details = new[]
        {
            $"{p}/phases/{phaseId}", $"{p}/events/{eventId}", $"{p}/events/{eventId}/calendar", $"{p}/documents/{documentId}/content",
            $"{p}/documents/{minutesId}/content", $"/api/proposals/items/{itemId}",
            $"/api/comments/items/{itemId}/comments", $"/api/comments/items/{itemId}/commenting", $"/api/comments/comments/{commentId}",
            $"/api/comments/comments/{commentId}/replies",
            $"/api/voting/ballots/{ballotId}", $"/api/voting/ballots/{ballotId}/results", $"/api/voting/ballots/{ballotId}/results/versions",
        };
        var lists = new[]
        {
            "/api/proposals/processes", p, $"{p}/phases", $"{p}/events?when=all", $"{p}/events/calendar", $"{p}/documents",
            $"{p}/items", $"{p}/items?q={marker}", $"{p}/monitoring",
            "/api/voting/ballots", $"/api/voting/ballots?processId={processId}",
        };
        var leaks = new List<string>();
        var observers = new (string Label, string? Token, bool Sees)[]
        {
            ("anonymous", null, false),
            ("citizen", world.Tokens[Who.Citizen], false),
            ("moderator", world.Tokens[Who.Moderator], false),
            ("member of the process", memberToken, false),
            ("staff", world.Tokens[Who.Staff], true),
            ("admin", world.Tokens[Who.Admin], true),
        };
        foreach (var (label, token, sees) in observers)
        {
            using var client = StackClient.Client(token);
            foreach (var path in details)
            {
                using var response = await StackClient.GetAsync(client, path);
                var body = await response.Content.ReadAsStringAsync();
                if (sees ? response.StatusCode != HttpStatusCode.OK : response.StatusCode != HttpStatusCode.NotFound || body.Contains(marker, StringComparison.Ordinal))
                {
                    leaks.Add($"{label}: GET {path} answered {(int)response.StatusCode}");
                }
            }
            foreach (var path in lists)
            {
                using var response = await StackClient.GetAsync(client, path);
                var body = await response.Content.ReadAsStringAsync();
                var found = body.Contains(marker, StringComparison.Ordinal) || body.Contains(ballotId.ToString(), StringComparison.OrdinalIgnoreCase)
                    || body.Contains(eventId.ToString(), StringComparison.OrdinalIgnoreCase) || body.Contains(phaseId.ToString(), StringComparison.OrdinalIgnoreCase)
                    || body.Contains(itemId.ToString(), StringComparison.OrdinalIgnoreCase);
                if (response.StatusCode != HttpStatusCode.OK || found != sees)
                {
                    leaks.Add($"{label}: GET {path} answered {(int)response.StatusCode} and {(found ? "names" : "does not name")} the phase");
                }
                if (path == p && !body.Contains(publicPhaseId.ToString(), StringComparison.OrdinalIgnoreCase))
                {
                    leaks.Add($"{label}: the process no longer shows its public phase");
                }
            }
            using (var stream = await StackClient.SendAsync(client, () => new HttpRequestMessage(HttpMethod.Get, $"/api/voting/ballots/{ballotId}/results/stream"),
                       HttpCompletionOption.ResponseHeadersRead))
            {
                if (stream.StatusCode != (sees ? HttpStatusCode.OK : HttpStatusCode.NotFound))
                {
                    leaks.Add($"{label}: the live results stream answered {(int)stream.StatusCode}");
                }
            }
            if (token is not null && !sees)
            {
                foreach (var path in new[] { $"/api/voting/ballots/{ballotId}/votes/me", $"/api/voting/ballots/{ballotId}/eligibility/me" })
                {
                    using var response = await StackClient.GetAsync(client, path);
                    if (response.StatusCode != HttpStatusCode.NotFound)
                    {
                        leaks.Add($"{label}: GET {path} answered {(int)response.StatusCode}");
                    }
                }
            }
            if (label is "citizen" or "member of the process")
            {
                using var register = await StackClient.PostJsonAsync(client, $"{p}/events/{eventId}/registration", null);
                if (register.StatusCode != HttpStatusCode.NotFound)
                {
                    leaks.Add($"{label}: registering for the event answered {(int)register.StatusCode}");
                }
                using var post = await StackClient.PostJsonAsync(client, $"/api/comments/items/{itemId}/comments", new { text = "Darf ich?", stance = "neutral" });
                if (post.StatusCode != HttpStatusCode.NotFound)
                {
                    leaks.Add($"{label}: commenting answered {(int)post.StatusCode}");
                }
                using var vote = await StackClient.PostJsonAsync(client, $"/api/voting/ballots/{ballotId}/votes", new { selected = Array.Empty<Guid>() });
                if (vote.StatusCode != HttpStatusCode.NotFound)
                {
                    leaks.Add($"{label}: voting answered {(int)vote.StatusCode}");
                }
            }
            if (token is null)
            {
                // The web's pages and feeds ask the services with the visitor's rights.
                foreach (var path in new[] { $"/prozesse/{processId}", $"/prozesse/{processId}/veranstaltungen.ics", $"/prozesse/{processId}/neuigkeiten.atom" })
                {
                    using var response = await StackClient.GetAsync(client, path);
                    var body = await response.Content.ReadAsStringAsync();
                    if (!response.IsSuccessStatusCode || body.Contains(marker, StringComparison.Ordinal))
                    {
                        leaks.Add($"{label}: web GET {path} answered {(int)response.StatusCode}{(body.Contains(marker, StringComparison.Ordinal) ? " and names the phase" : "")}");
                    }
                }
                using var eventFile = await StackClient.GetAsync(client, $"/prozesse/{processId}/veranstaltungen/{eventId}.ics");
                if (eventFile.IsSuccessStatusCode)
                {
                    leaks.Add($"{label}: web event calendar file answered {(int)eventFile.StatusCode}");
                }
            }
        }

        leaks.Should().BeEmpty("an internal phase must not show up in any channel for anyone but staff");
    }

    private static async Task<Guid> UploadAsync(HttpClient staff, string p, string title, string field, Guid id)
    {
        var pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"u8.ToArray();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "werkstatt.pdf");
        form.Add(new StringContent(title), "title");
        form.Add(new StringContent(id.ToString()), field);
        return (await StackClient.Json(await staff.PostAsync($"{p}/documents", form), HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }
}
