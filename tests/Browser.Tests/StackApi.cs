using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mitreden.Browser.Tests;

public sealed record TestUser(Guid Id, string Email, string Password, string DisplayName);

public sealed record TestProcess(Guid Id, string Title, Guid PhaseId, IReadOnlyList<(Guid Id, string Title)> Items);

/// <summary>
/// Arranges what a journey needs through the real APIs of the gateway (accounts, roles, processes, ballots), so the
/// browser part of a test only does what a person would do.
/// </summary>
public sealed partial class StackApi : IDisposable
{
    public const string Password = "Sicheres-Passwort-2026!";

    private readonly HttpClient _http;
    private string? _adminToken;

    public StackApi()
    {
        _http = new HttpClient { BaseAddress = Stack.Gateway, Timeout = TimeSpan.FromSeconds(60) };
    }

    public void Dispose() => _http.Dispose();

    public async Task<string> TokenAsync(string email, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/identity/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = email, ["password"] = password,
            }),
        };
        request.Headers.Add("X-Forwarded-For", ClientAddress());
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Password grant for {email}: {(int)response.StatusCode} {body}");
        }
        return JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>The admin's token, renewed after a few minutes: a long suite on a busy machine outlives one token.</summary>
    public async Task<string> AdminTokenAsync()
    {
        if (_adminToken is null || DateTime.UtcNow - _adminTokenAt > TimeSpan.FromMinutes(2))
        {
            _adminToken = await TokenAsync(Stack.AdminEmail, Stack.AdminPassword);
            _adminTokenAt = DateTime.UtcNow;
        }
        return _adminToken;
    }

    private DateTime _adminTokenAt;

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

    /// <summary>The confirmation link of the newest mail to this address (waits for the background mail sender).</summary>
    public static async Task<string> ConfirmationLinkAsync(string email)
    {
        string? link = null;
        await Eventually.TrueAsync(() =>
        {
            link = FindInMails(email, ConfirmLink());
            return Task.FromResult(link is not null);
        }, TimeSpan.FromSeconds(30), $"no confirmation mail to {email} in {Stack.MailDirectory}");
        var uri = new Uri(link!);
        return uri.PathAndQuery;
    }

    public static async Task<(Guid UserId, string Token)> ConfirmationFromMailAsync(string email)
    {
        var link = await ConfirmationLinkAsync(email);
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(Stack.Gateway, link).Query);
        return (Guid.Parse(query["userId"]!), query["token"]!);
    }

    private static string? FindInMails(string email, Regex pattern)
    {
        if (!Directory.Exists(Stack.MailDirectory))
        {
            return null;
        }
        foreach (var file in new DirectoryInfo(Stack.MailDirectory).GetFiles("*.eml").OrderByDescending(f => f.LastWriteTimeUtc))
        {
            var text = File.ReadAllText(file.FullName);
            if (!text.Contains(email, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            // Soft line breaks of quoted-printable mails, should the sender use it.
            text = text.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
            if (pattern.Match(text) is { Success: true } match)
            {
                return match.Value;
            }
        }
        return null;
    }

    [GeneratedRegex(@"https?://\S+/konto/email-bestaetigen\?userId=[0-9a-fA-F-]{36}&token=[^\s]+")]
    private static partial Regex ConfirmLink();

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

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Forwarded-For", ClientAddress());
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
        return await _http.SendAsync(request);
    }

    /// <summary>
    /// A made-up client address (198.18.0.0/15, never contacted) per request: the gateway limits sign-ins per address,
    /// and arranging a journey is not what those limits are about. The gateway trusts the header from loopback only.
    /// </summary>
    private static string ClientAddress() => $"198.18.{Random.Shared.Next(0, 256)}.{Random.Shared.Next(1, 255)}";

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

public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or KeyNotFoundException)
            {
                last = ex;
            }
            await Task.Delay(300);
        }
        throw new TimeoutException($"{failure} (after {timeout.TotalSeconds:0} s){(last is null ? "" : ": " + last.Message)}");
    }
}
