using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Mitreden.Browser.Tests;

public sealed record TestUser(Guid Id, string Email, string Password, string DisplayName);

public sealed record TestProcess(Guid Id, string Title, Guid PhaseId, IReadOnlyList<(Guid Id, string Title)> Items);

/// <summary>
/// Arranges what a journey needs through the real APIs of the gateway (accounts, roles, processes, ballots), so the
/// browser part of a test only does what a person would do.
/// </summary>
public sealed class StackApi : IDisposable
{
    public const string Password = "Sicheres-Passwort-2026!";

    private readonly HttpClient _http;
    private (string Token, DateTimeOffset RenewAt)? _admin;

    public StackApi()
    {
        _http = new HttpClient { BaseAddress = TestEnvironment.Gateway, Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Dispose() => _http.Dispose();

    public Task<string> TokenAsync(string email, string password) => StackClient.TokenAsync(email, password);

    /// <summary>The admin's token, renewed a minute before it expires (access tokens live 5 minutes; the suite runs longer).</summary>
    public async Task<string> AdminTokenAsync()
    {
        if (_admin is not { } admin || DateTimeOffset.UtcNow >= admin.RenewAt)
        {
            var (token, lifetime) = await StackClient.TokenWithLifetimeAsync(StackClient.AdminEmail, StackClient.AdminPassword);
            admin = (token, DateTimeOffset.UtcNow + lifetime - TimeSpan.FromMinutes(1));
            _admin = admin;
        }
        return admin.Token;
    }

    /// <summary>A confirmed account (email verified through the link of its mail), optionally with a role granted by the admin.</summary>
    public async Task<TestUser> NewUserAsync(string namePrefix, string? role = null)
    {
        var email = $"{new string(namePrefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray())}-{Guid.NewGuid():N}@example.org";
        var name = $"{namePrefix} {Random.Shared.Next(1000, 9999)}";
        var id = await RegisterAsync(email, name);
        var (userId, token) = await ConfirmationFromMailAsync(email);
        (await SendAsync(HttpMethod.Post, "/api/identity/account/confirm-email", null, new { userId, token })).EnsureSuccessStatusCode();
        if (role is not null)
        {
            using var grant = await SendAsync(HttpMethod.Put, $"/api/identity/admin/users/{id}/roles/{role}", await AdminTokenAsync(), null);
            await EnsureAsync(grant, $"grant {role}");
        }
        return new TestUser(id, email, Password, name);
    }

    public async Task<Guid> RegisterAsync(string email, string displayName)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/identity/account/register", null, new { email, password = Password, displayName });
        var json = await EnsureAsync(response, "register");
        return json.GetProperty("userId").GetGuid();
    }

    /// <summary>The confirmation link (path and query) of the newest mail to this address.</summary>
    public static async Task<string> ConfirmationLinkAsync(string email) =>
        new Uri(await Mailbox.OfStack.LinkAsync(email, Mailbox.ConfirmEmailPath)).PathAndQuery;

    /// <summary>The password reset link (path and query) of the newest mail to this address.</summary>
    public static async Task<string> ResetLinkAsync(string email) =>
        new Uri(await Mailbox.OfStack.LinkAsync(email, Mailbox.ResetPasswordPath)).PathAndQuery;

    public static async Task<(Guid UserId, string Token)> ConfirmationFromMailAsync(string email) =>
        Mailbox.UserAndToken(await ConfirmationLinkAsync(email));

    /// <summary>Letter codes exist only for districts the city has: creates it in Proposals unless it is there (409).</summary>
    public async Task EnsureDistrictAsync(string district)
    {
        using var created = await SendAsync(HttpMethod.Post, "/api/proposals/districts", await AdminTokenAsync(),
            new { city = "Teststadt", slug = district, name = district.ToUpperInvariant() });
        if (created.StatusCode is not (System.Net.HttpStatusCode.Created or System.Net.HttpStatusCode.Conflict))
        {
            throw new InvalidOperationException($"district {district}: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>One fresh letter code for a district, from the batch CSV (code;...).</summary>
    public async Task<string> LetterCodeAsync(string district)
    {
        await EnsureDistrictAsync(district);
        using var response = await SendAsync(HttpMethod.Post, "/api/identity/admin/letter-code-batches", await AdminTokenAsync(), new { district, count = 1 });
        var csv = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"letter codes: {(int)response.StatusCode} {csv}");
        }
        var line = csv.Trim('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1];
        return line.Split(';', ',')[0];
    }

    /// <summary>A voting-code group of one code (created by the admin): the group's id and its code.</summary>
    public async Task<(Guid GroupId, string Code)> VotingCodeAsync(string groupName)
    {
        using var response = await SendAsync(HttpMethod.Post, "/api/identity/admin/voting-code-groups", await AdminTokenAsync(), new { name = groupName, count = 1 });
        var csv = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"voting codes: {(int)response.StatusCode} {csv}");
        }
        var fields = csv.Trim('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[1].Split(';');
        return (Guid.Parse(fields[1]), fields[0]);
    }

    /// <summary>A published process with a running phase (commenting and voting on, no pre-moderation), a field of action and measures.</summary>
    public async Task<TestProcess> NewProcessAsync(string staffToken, int measures)
    {
        var title = $"Browsertest {DateTime.UtcNow:HHmmss} {Random.Shared.Next(100, 999)}";
        var process = await EnsureAsync(await SendAsync(HttpMethod.Post, "/api/proposals/processes", staffToken,
            new { title, description = "Ein Prozess für die Browsertests.", city = "Teststadt" }), "create process");
        var processId = process.GetProperty("id").GetGuid();
        var now = DateTimeOffset.UtcNow;
        var phase = await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/proposals/processes/{processId}/phases", staffToken, new
        {
            title = "Online-Beteiligung", kind = "online-participation", startsAt = now.AddHours(-1), endsAt = now.AddDays(7),
            switches = new { proposing = true, commenting = true, preModeration = false, voting = true, resultsVisible = false },
        }), "create phase");
        var field = await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/proposals/processes/{processId}/fields-of-action", staffToken,
            new { title = "Mobilität" }), "create field of action");
        var fieldId = field.GetProperty("id").GetGuid();
        await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/proposals/processes/{processId}/publish", staffToken, null), "publish");
        var items = new List<(Guid, string)>();
        for (var i = 1; i <= measures; i++)
        {
            var itemTitle = $"Maßnahme {i:00}: {Titles[(i - 1) % Titles.Length]}";
            var item = await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/proposals/processes/{processId}/items", staffToken, new
            {
                title = itemTitle, description = $"Beschreibung der Maßnahme {i}.", kind = "measure", fieldOfActionIds = new[] { fieldId },
            }), "create item");
            items.Add((item.GetProperty("id").GetGuid(), itemTitle));
        }
        // Comments learns about items and the running phase from events: wait until commenting is open.
        if (items.Count > 0)
        {
            await Eventually.TrueAsync(async () =>
            {
                using var r = await SendAsync(HttpMethod.Get, $"/api/comments/items/{items[0].Item1}/commenting", null, null);
                return r.IsSuccessStatusCode && (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("open").GetBoolean();
            }, TimeSpan.FromSeconds(60), "commenting did not open for the new process");
        }
        return new TestProcess(processId, title, phase.GetProperty("id").GetGuid(), items);
    }

    private static readonly string[] Titles =
    [
        "Radweg am Kanal", "Mehr Bäume in der Innenstadt", "Quartiersbus", "Sanierung Hallenbad", "Bürgerbüro digital",
        "Spielplatz Nord", "Solardächer auf Schulen", "Tempo 30 vor Kitas", "Marktplatz beleben", "Carsharing-Stationen",
    ];

    public async Task<Guid> NewBallotAsync(string staffToken, TestProcess process, string method, int? maxSelections, string visibility,
        object? eligibility = null, int options = int.MaxValue)
    {
        var now = DateTimeOffset.UtcNow;
        var ballot = await EnsureAsync(await SendAsync(HttpMethod.Post, "/api/voting/ballots", staffToken, new
        {
            processId = process.Id, phaseId = process.PhaseId, title = $"Welche Maßnahmen zuerst? ({Random.Shared.Next(100, 999)})",
            method, maxSelections, visibility, eligibility = eligibility ?? new { kind = "verified" },
            options = process.Items.Take(options).Select(i => new { itemId = i.Id, title = i.Title }).ToArray(),
            opensAt = now.AddMinutes(-1), closesAt = now.AddDays(3),
        }), "create ballot");
        var id = ballot.GetProperty("id").GetGuid();
        await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/voting/ballots/{id}/open", staffToken, null), "open ballot");
        return id;
    }

    public async Task<Guid[]> OptionIdsAsync(Guid ballotId) =>
        (await GetJsonAsync($"/api/voting/ballots/{ballotId}", null)).GetProperty("options").EnumerateArray()
            .OrderBy(o => o.GetProperty("position").GetInt32()).Select(o => o.GetProperty("optionId").GetGuid()).ToArray();

    public async Task CastAsync(string token, Guid ballotId, IEnumerable<Guid> selected) =>
        await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/voting/ballots/{ballotId}/votes", token, new { selected = selected.ToArray() }), "cast vote");

    public async Task CloseAsync(string staffToken, Guid ballotId)
    {
        await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/voting/ballots/{ballotId}/close", staffToken, null), "close ballot");
        await Eventually.TrueAsync(async () =>
        {
            var ballot = await GetJsonAsync($"/api/voting/ballots/{ballotId}", staffToken);
            return ballot.GetProperty("state").GetString() == "closed";
        }, TimeSpan.FromSeconds(60), "ballot did not close");
    }

    public async Task<Guid> CommentAsync(string token, Guid itemId, string text)
    {
        var comment = await EnsureAsync(await SendAsync(HttpMethod.Post, $"/api/comments/items/{itemId}/comments", token,
            new { text, stance = "pro" }), "post comment");
        return comment.GetProperty("id").GetGuid();
    }

    public async Task<JsonElement> GetJsonAsync(string path, string? token) =>
        await EnsureAsync(await SendAsync(HttpMethod.Get, path, token, null), $"GET {path}");

    /// <summary>
    /// Sends from a made-up client address of its own (the gateway limits sign-ins per address, and arranging a journey is
    /// not what those limits are about), waiting out the gateway's short per-client 429s as every suite does.
    /// </summary>
    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body,
        IReadOnlyDictionary<string, string>? headers = null) =>
        StackClient.SendAsync(_http, () =>
        {
            var request = new HttpRequestMessage(method, path);
            request.Headers.Add("X-Forwarded-For", StackClient.RandomAddress());
            foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            {
                request.Headers.Add(name, value);
            }
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            if (body is not null)
            {
                request.Content = new StringContent(JsonSerializer.Serialize(body, JsonOptions), Encoding.UTF8, "application/json");
            }
            return request;
        });

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static async Task<JsonElement> EnsureAsync(HttpResponseMessage response, string what)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {text}");
            }
            return response.StatusCode == HttpStatusCode.NoContent || text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
    }
}
