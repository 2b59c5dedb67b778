using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Mitreden.TestKit;
namespace Mitreden.Security.Tests;

/// <summary>The kinds of caller the authorization matrix distinguishes (PRODUCT.md: citizens, moderators, city staff, admins).</summary>
public enum Who
{
    Anonymous,
    /// <summary>Signed in, email confirmed ("email" verification), no residency.</summary>
    Citizen,
    /// <summary>Signed in, email not confirmed ("none").</summary>
    Unverified,
    /// <summary>Resident verified by letter code, in district "nord" (the test ballots are for "mitte").</summary>
    OtherDistrict,
    Moderator,
    Staff,
    Admin,
    /// <summary>Email confirmed, blocked by a moderator (blocked_until in the token).</summary>
    Blocked,
    /// <summary>No account: signed in by redeeming a voting code of a closed group.</summary>
    CodeVoter,
}

/// <summary>
/// Real users of every kind and real content (process, phase, item, comment, ballots) created once through the gateway
/// and shared by all tests, so path parameters point at things that exist and a 404 never hides a decision.
/// </summary>
public sealed class World
{
    private static readonly Lazy<Task<World>> Shared = new(CreateAsync);

    public static Task<World> GetAsync() => Shared.Value;

    public const string BallotDistrict = "mitte";
    public const string OtherDistrictName = "nord";

    public Dictionary<Who, string?> Tokens { get; } = new();
    public Dictionary<Who, Guid> UserIds { get; } = new();
    public Guid ProcessId { get; private set; }
    public Guid PhaseId { get; private set; }
    public Guid FieldId { get; private set; }
    public Guid ThemeId { get; private set; }
    public Guid ItemId { get; private set; }
    public Guid SecondItemId { get; private set; }
    /// <summary>By the citizen; read by many tests, never changed.</summary>
    public Guid CommentId { get; private set; }
    /// <summary>By the citizen, for the edit row of the matrix.</summary>
    public Guid EditCommentId { get; private set; }
    /// <summary>By the citizen, deleted by the delete row of the matrix.</summary>
    public Guid DeleteCommentId { get; private set; }
    /// <summary>By the moderator, reported and up-voted by the matrix.</summary>
    public Guid ReportCommentId { get; private set; }
    /// <summary>Open, eligibility "verified", results live.</summary>
    public Guid LiveBallotId { get; private set; }
    /// <summary>Open, eligibility "verified", results hidden until close.</summary>
    public Guid BallotId { get; private set; }
    public Guid[] BallotOptions { get; private set; } = [];
    /// <summary>Open, residents of "mitte" only.</summary>
    public Guid DistrictBallotId { get; private set; }
    /// <summary>Open, holders of a code of <see cref="VotingGroupId"/> only.</summary>
    public Guid GroupBallotId { get; private set; }
    public Guid VotingGroupId { get; private set; }
    public string ReceiptHash { get; private set; } = "";
    public Guid[] LiveBallotOptions { get; private set; } = [];
    /// <summary>Open survey on the phase, eligibility "verified", results public after close (so hidden now for all but staff).</summary>
    public Guid SurveyId { get; private set; }

    /// <summary>Confirmed citizens, each with a comment of their own, to spread hostile writes over (per-account limits).</summary>
    public IReadOnlyList<(string Token, Guid CommentId)> FuzzPool { get; private set; } = [];

    public const int FuzzPoolSize = 16;

    public HttpClient ClientFor(Who who, string? address = null) => StackClient.Client(Tokens.GetValueOrDefault(who), address);

    private static async Task<World> CreateAsync()
    {
        var world = new World();
        var adminToken = await StackClient.AdminTokenAsync();
        world.Tokens[Who.Anonymous] = null;
        world.Tokens[Who.Admin] = adminToken;
        using var admin = StackClient.Client(adminToken);
        world.UserIds[Who.Admin] = (await StackClient.Json(await StackClient.GetAsync(admin, "/api/identity/account/me"), HttpStatusCode.OK)).GetProperty("id").GetGuid();

        var kinds = new[] { Who.Citizen, Who.Unverified, Who.OtherDistrict, Who.Moderator, Who.Staff, Who.Blocked };
        var registered = await Task.WhenAll(kinds.Select(async who =>
        {
            var (id, email) = await StackClient.RegisterAsync(who.ToString().ToLowerInvariant());
            if (who != Who.Unverified)
            {
                await StackClient.ConfirmEmailAsync(email);
            }
            return (who, id, email);
        }));
        foreach (var (who, id, _) in registered)
        {
            world.UserIds[who] = id;
        }
        await StackClient.Json(await StackClient.PutJsonAsync(admin, $"/api/identity/admin/users/{world.UserIds[Who.Moderator]}/roles/moderator", null), HttpStatusCode.OK);
        await StackClient.Json(await StackClient.PutJsonAsync(admin, $"/api/identity/admin/users/{world.UserIds[Who.Staff]}/roles/staff", null), HttpStatusCode.OK);
        var emails = registered.ToDictionary(r => r.who, r => r.email);
        foreach (var who in kinds.Where(k => k != Who.OtherDistrict && k != Who.Blocked))
        {
            world.Tokens[who] = await StackClient.TokenAsync(emails[who], StackClient.Password);
        }

        // Residency in another district than the ballots'.
        var code = await StackClient.LetterCodeAsync(admin, OtherDistrictName);
        using (var resident = StackClient.Client(await StackClient.TokenAsync(emails[Who.OtherDistrict], StackClient.Password)))
        {
            await StackClient.Json(await StackClient.PostJsonAsync(resident, "/api/identity/verification/letter-codes/redeem", new { code }), HttpStatusCode.OK);
        }
        world.Tokens[Who.OtherDistrict] = await StackClient.TokenAsync(emails[Who.OtherDistrict], StackClient.Password);

        // A block by a moderator, through the gateway; the next token carries blocked_until.
        using (var moderator = world.ClientFor(Who.Moderator))
        {
            await StackClient.Json(await StackClient.PostJsonAsync(moderator, $"/api/identity/admin/users/{world.UserIds[Who.Blocked]}/block",
                new { until = DateTimeOffset.UtcNow.AddDays(7), reason = "Sicherheitstest: wiederholte Beleidigungen." }), HttpStatusCode.OK);
        }
        world.Tokens[Who.Blocked] = await StackClient.TokenAsync(emails[Who.Blocked], StackClient.Password);

        // Content, created by staff.
        using var staff = world.ClientFor(Who.Staff);
        var process = await StackClient.Json(await StackClient.PostJsonAsync(staff, "/api/proposals/processes",
            new { title = "Sicherheitstest " + Guid.NewGuid().ToString("N")[..6], city = "Teststadt", description = "Prozess der Sicherheitstests" }),
            HttpStatusCode.Created);
        world.ProcessId = process.GetProperty("id").GetGuid();
        var now = DateTimeOffset.UtcNow;
        var phase = await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/phases", new
        {
            title = "Online-Beteiligung", kind = "online-participation", startsAt = now.AddMinutes(-5), endsAt = now.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = false },
        }), HttpStatusCode.Created);
        world.PhaseId = phase.GetProperty("id").GetGuid();
        world.FieldId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/fields-of-action",
            new { title = "Mobilität" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        world.ThemeId = (await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/themes",
            new { title = "Klimaschutz" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/publish", null), HttpStatusCode.OK);
        var items = new List<Guid>();
        foreach (var title in new[] { "Radweg an der Lippe", "Mehr Bäume am Markt" })
        {
            items.Add((await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/proposals/processes/{world.ProcessId}/items",
                new { title, description = "Eine Maßnahme für die Sicherheitstests.", kind = "measure" }), HttpStatusCode.Created))
                .GetProperty("id").GetGuid());
        }
        world.ItemId = items[0];
        world.SecondItemId = items[1];

        using (var citizen = world.ClientFor(Who.Citizen))
        {
            world.CommentId = await StackClient.CommentAsync(citizen, world.ItemId, "Ein Kommentar für die Sicherheitstests.");
            world.EditCommentId = await StackClient.CommentAsync(citizen, world.ItemId, "Ein Kommentar, der bearbeitet wird.");
            world.DeleteCommentId = await StackClient.CommentAsync(citizen, world.ItemId, "Ein Kommentar, der gelöscht wird.");
        }
        using (var moderator = world.ClientFor(Who.Moderator))
        {
            world.ReportCommentId = await StackClient.CommentAsync(moderator, world.ItemId, "Ein Kommentar, der gemeldet wird.");
        }

        // A voting-code group and one holder of its code.
        var groupName = "Ratsmitglieder Sicherheitstest " + Guid.NewGuid().ToString("N")[..8];
        using (var codes = await StackClient.PostJsonAsync(admin, "/api/identity/admin/voting-code-groups", new { name = groupName, count = 2 }))
        {
            var csv = await codes.Content.ReadAsStringAsync();
            if (codes.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"voting codes: {(int)codes.StatusCode} {csv}");
            }
            var groups = await StackClient.Json(await StackClient.GetAsync(admin, "/api/identity/admin/voting-code-groups"), HttpStatusCode.OK);
            world.VotingGroupId = groups.EnumerateArray().Single(g => g.GetProperty("name").GetString() == groupName).GetProperty("id").GetGuid();
            var votingCode = csv.Trim('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1].Split(';')[0];
            using var anonymous = StackClient.Client();
            var redeemed = await StackClient.Json(await anonymous.PostAsync("/api/identity/connect/token", new FormUrlEncodedContent(
                new Dictionary<string, string> { ["grant_type"] = "urn:mitreden:voting-code", ["code"] = votingCode })), HttpStatusCode.OK);
            world.Tokens[Who.CodeVoter] = redeemed.GetProperty("access_token").GetString();
        }

        world.BallotId = await NewBallotAsync(staff, world, items, new { kind = "verified" }, "after-close");
        world.LiveBallotId = await NewBallotAsync(staff, world, items, new { kind = "verified" }, "live");
        world.DistrictBallotId = await NewBallotAsync(staff, world, items, new { kind = "resident", district = BallotDistrict }, "after-close");
        world.GroupBallotId = await NewBallotAsync(staff, world, items, new { kind = "voting-group", votingGroupId = world.VotingGroupId }, "after-close");
        world.BallotOptions = await OptionsAsync(staff, world.BallotId);
        world.SurveyId = await NewSurveyAsync(staff, world);
        world.LiveBallotOptions = await OptionsAsync(staff, world.LiveBallotId);
        world.FuzzPool = await Task.WhenAll(Enumerable.Range(0, FuzzPoolSize).Select(async i =>
        {
            var (_, email) = await StackClient.RegisterAsync("fuzz" + i);
            await StackClient.ConfirmEmailAsync(email);
            var token = await StackClient.TokenAsync(email, StackClient.Password);
            using var client = StackClient.Client(token);
            return (token, await StackClient.CommentAsync(client, world.ItemId, $"Kommentar {i} des Prüfpools."));
        }));
        using (var citizen = world.ClientFor(Who.Citizen))
        {
            var receipt = await StackClient.Json(await StackClient.PostJsonAsync(citizen, $"/api/voting/ballots/{world.BallotId}/votes",
                new { selected = new[] { world.BallotOptions[0] } }), HttpStatusCode.Accepted);
            world.ReceiptHash = receipt.GetProperty("receiptHash").GetString()!;
        }
        return world;
    }

    private static async Task<Guid[]> OptionsAsync(HttpClient client, Guid ballotId) =>
        (await StackClient.Json(await StackClient.GetAsync(client, $"/api/voting/ballots/{ballotId}"), HttpStatusCode.OK))
            .GetProperty("options").EnumerateArray().Select(o => o.GetProperty("optionId").GetGuid()).ToArray();

    public static async Task<Guid> NewBallotAsync(HttpClient staff, World world, IReadOnlyList<Guid> items, object eligibility, string visibility)
    {
        var now = DateTimeOffset.UtcNow;
        var created = await StackClient.Json(await StackClient.PostJsonAsync(staff, "/api/voting/ballots", new
        {
            processId = world.ProcessId, phaseId = world.PhaseId, title = "Sicherheitstest " + Random.Shared.Next(1000, 9999),
            method = "support", visibility, eligibility,
            options = items.Select((id, i) => new { itemId = id, title = i == 0 ? "Radweg an der Lippe" : "Mehr Bäume am Markt" }).ToArray(),
            opensAt = now.AddMinutes(-1), closesAt = now.AddDays(3),
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/ballots/{id}/open", null), HttpStatusCode.OK);
        return id;
    }

    public static async Task<Guid> NewSurveyAsync(HttpClient staff, World world)
    {
        var created = await StackClient.Json(await StackClient.PostJsonAsync(staff, "/api/voting/surveys", new
        {
            processId = world.ProcessId, phaseId = world.PhaseId, title = "Sicherheitstest Umfrage " + Random.Shared.Next(1000, 9999),
            anonymous = true, publicResults = true, eligibility = new { kind = "verified" },
            questions = new object[] { new { kind = "single", text = "Wie finden Sie den Markt?", options = new[] { "gut", "schlecht" } } },
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await StackClient.Json(await StackClient.PostJsonAsync(staff, $"/api/voting/surveys/{id}/open", null), HttpStatusCode.OK);
        return id;
    }

    public async Task<IReadOnlyList<Guid>> ItemIdsAsync()
    {
        using var anonymous = StackClient.Client();
        var list = await StackClient.Json(await StackClient.GetAsync(anonymous, $"/api/proposals/processes/{ProcessId}/items"), HttpStatusCode.OK);
        var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
        return items.EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }
}
