using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Security.Tests;

/// <summary>
/// Hostile input to every endpoint that takes a body or parameters, through the gateway, by a caller who passes the
/// authorization check (so the input reaches validation): every answer is a 4xx with a ProblemDetails body, never a
/// 5xx, and a rejected request stores nothing (each body carries a marker that must not show up afterwards).
/// </summary>
public sealed class BadInputTests
{
    public static TheoryData<string> Operations()
    {
        var data = new TheoryData<string>();
        foreach (var key in Endpoints.All.Select(e => e.Key).Distinct())
        {
            data.Add(key);
        }
        return data;
    }

    /// <summary>Hand-written valid bodies, so "extra field", "wrong type" etc. are the only thing wrong.</summary>
    private static readonly Dictionary<string, Func<World, string, object>> ValidBodies = new()
    {
        ["POST /api/comments/items/{itemId}/comments"] = (_, m) => new { text = m, stance = "pro" },
        ["PUT /api/comments/comments/{id}"] = (_, m) => new { text = m, stance = "contra" },
        ["POST /api/comments/comments/{id}/reports"] = (_, m) => new { reason = "spam", note = m },
        ["POST /api/voting/ballots/{id}/votes"] = (w, _) => new { selected = new[] { w.LiveBallotOptions[0] } },
        ["POST /api/proposals/processes/{processId}/items"] = (_, m) => new { title = m, description = m, kind = "measure" },
        ["PUT /api/proposals/items/{itemId}"] = (_, m) => new { title = m, description = m },
        ["POST /api/proposals/processes/{processId}/events"] = (_, m) => new
        {
            title = m, description = m, startsAt = DateTimeOffset.UtcNow.AddDays(30), endsAt = DateTimeOffset.UtcNow.AddDays(30).AddHours(2),
            place = m, registration = true, capacity = 10,
        },
        ["POST /api/proposals/processes"] = (_, m) => new { title = m, city = "Teststadt", description = m },
        ["PUT /api/proposals/processes/{processId}"] = (_, m) => new { title = m, city = "Teststadt", description = m },
        ["POST /api/proposals/processes/{processId}/fields-of-action"] = (_, m) => new { title = m },
        ["POST /api/proposals/processes/{processId}/themes"] = (_, m) => new { title = m },
        ["POST /api/identity/account/register"] = (_, m) => new { email = m + "@example.org", password = StackClient.Password, displayName = m },
        ["PUT /api/identity/account/me"] = (_, m) => new { displayName = m },
        ["PUT /api/identity/account/me/notification-settings"] = (_, _) => new { settings = new Dictionary<string, string> { ["news"] = "digest" } },
        ["POST /api/identity/admin/letter-code-batches"] = (_, m) => new { district = m, count = 1 },
        ["POST /api/identity/admin/voting-code-groups"] = (_, m) => new { name = m, count = 1 },
        ["POST /api/identity/admin/users/{id}/block"] = (_, m) => new { until = DateTimeOffset.UtcNow.AddDays(1), reason = m },
    };

    /// <summary>Where a request that slipped through would show its marker (read as admin, who sees drafts too).</summary>
    private static readonly Dictionary<string, Func<World, string>> Probes = new()
    {
        ["POST /api/comments/items/{itemId}/comments"] = w => $"/api/comments/items/{w.ItemId}/comments?pageSize=100&sort=newest",
        ["PUT /api/comments/comments/{id}"] = w => $"/api/comments/items/{w.ItemId}/comments?pageSize=100&sort=newest",
        ["POST /api/proposals/processes/{processId}/items"] = w => $"/api/proposals/processes/{w.ProcessId}/items?PageSize=100",
        ["PUT /api/proposals/items/{itemId}"] = w => $"/api/proposals/items/{w.SecondItemId}",
        ["POST /api/proposals/processes"] = _ => "/api/proposals/processes",
        ["POST /api/proposals/processes/{processId}/documents"] = w => $"/api/proposals/processes/{w.ProcessId}/documents",
        ["POST /api/proposals/processes/{processId}/events"] = w => $"/api/proposals/processes/{w.ProcessId}/events?when=all",
        ["PUT /api/proposals/processes/{processId}"] = w => $"/api/proposals/processes/{w.ProcessId}",
        ["POST /api/proposals/processes/{processId}/phases"] = w => $"/api/proposals/processes/{w.ProcessId}/phases",
        ["POST /api/proposals/processes/{processId}/fields-of-action"] = w => $"/api/proposals/processes/{w.ProcessId}/fields-of-action",
        ["POST /api/proposals/processes/{processId}/themes"] = w => $"/api/proposals/processes/{w.ProcessId}/themes",
        ["POST /api/proposals/districts"] = _ => "/api/proposals/districts",
        ["POST /api/voting/ballots"] = w => $"/api/voting/ballots?processId={w.ProcessId}",
        ["POST /api/identity/admin/letter-code-batches"] = _ => "/api/identity/admin/letter-code-batches",
        ["POST /api/identity/admin/voting-code-groups"] = _ => "/api/identity/admin/voting-code-groups",
        ["PUT /api/identity/account/me"] = _ => "/api/identity/account/me",
        ["PUT /api/moderation/screening-rules"] = _ => "/api/moderation/screening-rules",
    };

    /// <summary>Bodies that are not JSON: only content type and size are attacked there.</summary>
    private static readonly HashSet<string> NonJson =
        ["POST /api/identity/connect/token", "POST /api/proposals/processes/{processId}/items/import", "POST /api/proposals/processes/{processId}/documents"];

    private static readonly ConcurrentDictionary<string, int> Rotation = new();

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Endpoint_HostileInput_Is4xxProblemDetails_AndStoresNothing(string key)
    {
        var world = await World.GetAsync();
        var operation = (await OpenApi.OperationsAsync()).SingleOrDefault(o => o.Key == key);
        operation.Should().NotBeNull();
        if (!operation!.HasBody && operation.Parameters.Count == 0 && !NonJson.Contains(key))
        {
            return; // nothing to attack: the inventory and the matrix cover it
        }
        var row = Endpoints.All.First(e => e.Key == key && e.Allowed.Length > 0 && e.Scenario is "" or "verified accounts" or "live ballot");
        var marker = "secfuzz" + Guid.NewGuid().ToString("N")[..12];
        var path = FuzzPath(row, world);
        var attacks = Attacks(operation, world, marker, path).ToList();
        var failures = new List<string>();
        var probe = Probes.TryGetValue(key, out var p) ? p(world) : null;

        foreach (var attack in attacks)
        {
            var (caller, own) = Caller(row, world, key);
            using var _ = caller;
            using var response = await StackClient.SendAsync(caller, () => attack.Request(own ?? path), HttpCompletionOption.ResponseHeadersRead);
            var status = (int)response.StatusCode;
            var mediaType = response.Content.Headers.ContentType?.MediaType;
            var text = mediaType == "text/event-stream" ? "" : await response.Content.ReadAsStringAsync();
            var mayPass = attack.MayPass || (AlwaysAccepted.Contains(key) && status == 202);
            if (status >= 500 || (status < 400 && !mayPass) || status == 401 || status == 403)
            {
                failures.Add($"{attack.Name}: {status} {Cut(text)}");
            }
            else if (attack.Expected is { } expected && status != expected)
            {
                failures.Add($"{attack.Name}: expected {expected}, got {status} {Cut(text)}");
            }
            else if (status >= 400 && mediaType != "application/problem+json"
                     && !(key == "POST /api/identity/connect/token" && mediaType == "application/json" && text.Contains("\"error\"", StringComparison.Ordinal)))
            {
                // The token endpoint answers errors as RFC 6749 §5.2 demands ({"error": ...}); everything else with ProblemDetails.
                failures.Add($"{attack.Name}: {status} without ProblemDetails ({mediaType}) {Cut(text)}");
            }
            else if (mediaType == "application/problem+json" && !HasCode(text))
            {
                // One error shape: every refusal names its stable code, so a client can say it in its own words.
                failures.Add($"{attack.Name}: {status} ProblemDetails without \"code\" {Cut(text)}");
            }
        }

        if (probe is not null)
        {
            using var admin = world.ClientFor(Who.Admin);
            var after = await (await StackClient.GetAsync(admin, probe)).Content.ReadAsStringAsync();
            after.Should().NotContain(marker, "a rejected request must store nothing ({0})", probe);
        }
        if (key == "POST /api/voting/ballots/{id}/votes")
        {
            foreach (var voter in world.FuzzPool)
            {
                using var client = StackClient.Client(voter.Token);
                var mine = await StackClient.Json(await StackClient.GetAsync(client, $"/api/voting/ballots/{world.LiveBallotId}/votes/me"), HttpStatusCode.OK);
                mine.GetProperty("status").GetString().Should().Be("none", "no rejected vote may be counted or pending");
            }
        }
        failures.Should().BeEmpty("every hostile request to {0} must be a 4xx ProblemDetails ({1} attacks sent)", key, attacks.Count);
    }

    private static string Cut(string text) => text.Length > 250 ? text[..250] + "…" : text;

    /// <summary>The world's path, except where an accepted attack would hurt: blocks go to an unknown user.</summary>
    private static string FuzzPath(Expectation row, World world) => row.Key switch
    {
        "POST /api/identity/admin/users/{id}/block" => $"/api/identity/admin/users/{Guid.NewGuid()}/block",
        "POST /api/voting/ballots/{id}/votes" => $"/api/voting/ballots/{world.LiveBallotId}/votes",
        _ => Endpoints.Resolve(row, world),
    };

    /// <summary>
    /// Votes and comments are rate limited per account, so those attacks rotate over a pool of confirmed citizens (an
    /// edit goes to the caller's own comment); everything else is sent by the most privileged caller the row allows.
    /// </summary>
    private static (HttpClient Client, string? OwnPath) Caller(Expectation row, World world, string key)
    {
        if (key == "DELETE /api/identity/account/me")
        {
            // Not the admin: wrong passwords count towards a lockout of the caller's account.
            return (StackClient.Client(world.FuzzPool[0].Token), null);
        }
        if (key is "POST /api/voting/ballots/{id}/votes" or "POST /api/comments/items/{itemId}/comments"
            or "POST /api/identity/verification/letter-codes/redeem" // wrong codes count towards a per-account lockout
            or "POST /api/comments/comments/{id}/reports" or "PUT /api/comments/comments/{id}")
        {
            var member = world.FuzzPool[Rotation.AddOrUpdate(key, 0, (_, n) => n + 1) % world.FuzzPool.Count];
            return (StackClient.Client(member.Token), key == "PUT /api/comments/comments/{id}" ? $"/api/comments/comments/{member.CommentId}" : null);
        }
        var who = new[] { Who.Admin, Who.Staff, Who.Moderator, Who.Citizen, Who.CodeVoter, Who.Anonymous }.First(w => row.Allowed.Contains(w));
        return (world.ClientFor(who), null);
    }

    /// <param name="MayPass">A legitimate request may look like this (a search for "&lt;script&gt;", a negative offset): not a 5xx, and
    /// a 4xx is ProblemDetails, but a 2xx is fine.</param>
    public sealed record Attack(string Name, Func<string, HttpRequestMessage> Request, int? Expected = null, bool MayPass = false);

    /// <summary>Answer 202 to anything well-formed, so nobody learns whether an address has an account.</summary>
    private static readonly HashSet<string> AlwaysAccepted = ["POST /api/identity/account/password-reset", "POST /api/identity/account/confirm-email/resend"];

    /// <summary>
    /// Sub-collections that answer an unknown parent with an empty page instead of 404, by design: Comments and Moderation
    /// learn items and processes from events, so "not known (yet)" is an answer (Comments says "item-unknown"), and
    /// screening rules of a process fall back to the global ones.
    /// </summary>
    private static readonly HashSet<string> EmptyForUnknownParent =
    [
        "GET /api/comments/items/{itemId}/comments", "GET /api/comments/items/{itemId}/commenting",
        "GET /api/moderation/processes/{processId}/queue", "GET /api/moderation/processes/{processId}/screening-rules",
    ];

    private static IEnumerable<Attack> Attacks(Operation op, World world, string marker, string path)
    {
        var method = new HttpMethod(op.Method);
        Func<string, HttpRequestMessage> With(Func<HttpContent?> content, string? to = null) => target => new(method, to ?? target) { Content = content() };
        StringContent Raw(string json, string type = "application/json") => new(json, Encoding.UTF8, type);

        if (op.HasBody && !NonJson.Contains(op.Key))
        {
            var valid = ValidBodies.TryGetValue(op.Key, out var make)
                ? JsonSerializer.SerializeToNode(make(world, marker), JsonSerializerOptions.Web)!.AsObject()
                : op.BodySchema is { } schema ? Sample(op.Document, schema, marker, 0) as JsonObject ?? [] : [];
            var validText = valid.ToJsonString();

            yield return new("malformed json", With(() => Raw("{\"text\": \"" + marker + "\", ")), 400);
            yield return new("truncated json", With(() => Raw(validText[..(validText.Length / 2)])), 400);
            yield return new("not an object (array)", With(() => Raw("[" + validText + "]")), 400);
            yield return new("not an object (string)", With(() => Raw("\"" + marker + "\"")), 400);
            yield return new("not an object (number)", With(() => Raw("12345")), 400);
            yield return new("json null", With(() => Raw("null")), 400);
            yield return new("empty body", With(() => Raw("")), 400);
            yield return new("extra field", With(() =>
            {
                var body = (JsonObject)valid.DeepClone();
                body["isAdmin"] = true;
                return Raw(body.ToJsonString());
            }), 400);
            foreach (var (name, value) in valid.ToList())
            {
                var wrong = value switch
                {
                    JsonValue v when v.GetValueKind() == JsonValueKind.String => (JsonNode)12345,
                    JsonValue v when v.GetValueKind() == JsonValueKind.Number => true,
                    JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => "yes",
                    JsonArray => new JsonObject { ["x"] = 1 },
                    JsonObject => new JsonArray(1, 2),
                    _ => null,
                };
                if (wrong is not null)
                {
                    yield return new($"wrong type of {name}", With(() => Raw(Replace(valid, name, wrong.DeepClone()))), 400);
                }
                if (value is JsonValue s && s.GetValueKind() == JsonValueKind.String)
                {
                    // PostgreSQL cannot store NUL (22021 became a 500): refused while the body is read, 422 naming the field.
                    // Enum, date and id fields fail their own parsing first (400).
                    yield return new($"NUL in {name}", With(() => Raw(Replace(valid, name, marker + "\u0000x"))), IsFreeText(op, name) ? 422 : null);
                    yield return new($"huge string in {name}", With(() => Raw(Replace(valid, name, new string('A', 300_000) + marker))));
                    yield return new($"script and SQL in {name} (with a huge tail)", With(() => Raw(Replace(valid, name,
                        "<script>alert(1)</script>'; DROP TABLE items; -- " + marker + new string('x', 200_000)))));
                    yield return new($"invalid UTF-8 in {name}", With(() =>
                    {
                        var text = Replace(valid, name, "@@INVALID@@");
                        var bytes = Encoding.UTF8.GetBytes(text).ToList();
                        var at = IndexOf(bytes, Encoding.UTF8.GetBytes("@@INVALID@@"));
                        bytes.RemoveRange(at, 11);
                        bytes.InsertRange(at, new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 });
                        var content = new ByteArrayContent(bytes.ToArray());
                        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                        return content;
                    }), 400);
                }
                if (value is JsonValue n && n.GetValueKind() == JsonValueKind.Number)
                {
                    yield return new($"overflowing {name}", With(() => Raw(Replace(valid, name, JsonNode.Parse("99999999999999999999999")!))), 400);
                    yield return new($"1e400 in {name}", With(() => Raw(Replace(valid, name, JsonNode.Parse("1e400")!))), 400);
                    yield return new($"negative {name}", With(() => Raw(Replace(valid, name, -2147483648))));
                }
                if (value is JsonArray)
                {
                    yield return new($"huge array in {name}", With(() => Raw(Replace(valid, name,
                        new JsonArray(Enumerable.Range(0, 60_000).Select(_ => (JsonNode?)JsonValue.Create(Guid.Empty.ToString()[..8])).ToArray())))));
                }
            }
            foreach (var name in Required(op))
            {
                if (valid.ContainsKey(name))
                {
                    yield return new($"missing {name}", With(() =>
                    {
                        var body = (JsonObject)valid.DeepClone();
                        body.Remove(name);
                        return Raw(body.ToJsonString());
                    }), 400);
                }
            }
            yield return new("wrong content type (text/plain)", With(() => Raw(validText, "text/plain")), 415);
            yield return new("wrong content type (form)", With(() => new FormUrlEncodedContent(new Dictionary<string, string> { ["text"] = marker })), 415);
        }
        if (op.HasBody && !op.Key.EndsWith("/import", StringComparison.Ordinal))
        {
            // Over the gateway's 1 MB limit for ordinary API calls.
            // Expect: 100-continue, so the client waits for the gateway's verdict instead of writing into a closed connection.
            yield return new("oversize body (declared length)", target =>
            {
                var request = With(() => Raw("{\"x\":\"" + new string('A', 1536 * 1024) + "\"}", op.BodyContentType ?? "application/json"))(target);
                request.Headers.ExpectContinue = true;
                return request;
            }, 413);
        }
        if (op.Key == "POST /api/identity/connect/token")
        {
            // The token server reads the form before the input guard does, and the form reader itself refuses NUL: 400, not
            // the guard's 422 (other control characters still get the guard's 422: the next case).
            yield return new("token request, NUL in a form field", With(() => new FormUrlEncodedContent(new Dictionary<string, string>
                { ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = marker + "\0@example.org", ["password"] = "x" })), 400);
            yield return new("token request, control character in a form field", With(() => new FormUrlEncodedContent(new Dictionary<string, string>
                { ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = marker + "\u0001@example.org", ["password"] = "x" })), 422);
            yield return new("token request, 20,000 form fields", With(() => new StringContent(
                "grant_type=password&" + string.Join('&', Enumerable.Range(0, 20_000).Select(i => $"f{i}=x")), Encoding.ASCII,
                "application/x-www-form-urlencoded")), 400);
            yield return new("token request as JSON", With(() => Raw("{\"grant_type\":\"password\"}")));
            yield return new("token request, unknown grant", With(() => new FormUrlEncodedContent(new Dictionary<string, string>
                { ["grant_type"] = "urn:evil", ["client_id"] = "mitreden-test" })));
        }
        if (op.Key == "POST /api/proposals/processes/{processId}/documents")
        {
            yield return new("document as JSON", With(() => Raw("{\"title\":\"" + marker + "\"}")), 415);
            yield return new("document form without a file", With(() => new MultipartFormDataContent { { new StringContent(marker), "title" } }), 422);
            yield return new("document that is HTML", With(() => new MultipartFormDataContent
            {
                { new ByteArrayContent(Encoding.UTF8.GetBytes("<html><script>alert(1)</script>" + marker + "</html>")), "file", "bericht.pdf" },
                { new StringContent(marker), "title" },
            }), 422);
            // Over the gateway's document limit (Gateway:LargeBodies), refused on the declared length.
            yield return new("document over 20 MiB (declared length)", target =>
            {
                var request = With(() =>
                {
                    var body = Raw(new string('A', 21 * 1024 * 1024 + 1), "multipart/form-data");
                    body.Headers.ContentType!.Parameters.Add(new System.Net.Http.Headers.NameValueHeaderValue("boundary", "x"));
                    return body;
                })(target);
                request.Headers.ExpectContinue = true;
                return request;
            }, 413);
        }
        if (op.Key == "POST /api/proposals/processes/{processId}/items/import")
        {
            yield return new("csv with garbage", With(() => Raw("\u0000\u0001;;;\"unclosed\n" + marker, "text/csv")));
            yield return new("import as JSON", With(() => Raw("{}")), 415);
        }

        // Parameters: unknown ids (404), malformed ids, hostile query values.
        foreach (var (name, location, type) in op.Parameters)
        {
            if (location == "path" && IsGuidParameter(name))
            {
                Func<HttpContent?> content = () => !op.HasBody ? null : op.BodyContentType == "text/csv" ? Raw("kind;title\r\n", "text/csv") : Raw("{}");
                if (ReplaceIdParameter(op, world, name, Guid.NewGuid().ToString()) is { } unknown)
                {
                    yield return EmptyForUnknownParent.Contains(op.Key)
                        ? new($"unknown {name}", With(content, unknown), MayPass: true)
                        : new($"unknown {name}", With(content, unknown), op.HasBody || op.Method != "GET" ? null : 404);
                }
                if (ReplaceIdParameter(op, world, name, "not-a-guid'--") is { } malformed)
                {
                    yield return new($"malformed {name}", With(content, malformed), 404);
                }
            }
            if (location == "query")
            {
                yield return new($"query {name} NUL", target => new HttpRequestMessage(method,
                    target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=a%00b")
                {
                    Content = op.HasBody ? Raw("{}") : null,
                }, 422);
                foreach (var (label, value) in new[]
                {
                    ("not a number", "abc"), ("overflow", "99999999999999999999"), ("negative", "-1"),
                    ("script", "<script>alert(1)</script>"), ("sql", "' OR 1=1 --"), ("huge", new string('z', 4000)),
                })
                {
                    if (type is "integer" or "number" || label is "script" or "sql" or "huge")
                    {
                        // Numbers that are not numbers are a 400; free text (searches, filters, cursors) may legitimately match nothing.
                        var numeric = type is "integer" or "number" && label is "not a number" or "overflow";
                        yield return new($"query {name} {label}", target => new HttpRequestMessage(method,
                            target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=" + Uri.EscapeDataString(value))
                        {
                            Content = op.HasBody ? Raw("{}") : null,
                        }, numeric ? 400 : null, MayPass: !numeric);
                    }
                }
            }
        }
    }

    /// <summary>A plain string property of the body's schema (no enum, no format such as date-time or uuid).</summary>
    private static bool IsFreeText(Operation op, string name)
    {
        if (op.BodySchema is not { } schema)
        {
            return false;
        }
        var resolved = OpenApi.Deref(op.Document, schema);
        if (!resolved.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(name, out var property))
        {
            return false;
        }
        property = OpenApi.Deref(op.Document, property);
        return OpenApi.TypeOf(op.Document, property) == "string" && !property.TryGetProperty("enum", out _) && !property.TryGetProperty("format", out _)
            && !(property.TryGetProperty("oneOf", out var options) && options.EnumerateArray().Any(o => OpenApi.Deref(op.Document, o).TryGetProperty("enum", out _)));
    }

    private static bool IsGuidParameter(string name) => name is "id" or "processId" or "phaseId" or "itemId" or "commentId";

    /// <summary>The resolved path with one id parameter swapped (found by its position in the template).</summary>
    private static string? ReplaceIdParameter(Operation op, World world, string name, string value)
    {
        var row = Endpoints.All.First(e => e.Key == op.Key);
        var resolved = Endpoints.Resolve(row with { Path = null }, world);
        var templateParts = ("/api/" + op.Service + op.Template).Split('/');
        var parts = resolved.Split('/');
        if (templateParts.Length != parts.Length)
        {
            return null;
        }
        var index = Array.IndexOf(templateParts, "{" + name + "}");
        if (index < 0)
        {
            return null;
        }
        parts[index] = value;
        return string.Join('/', parts);
    }

    private static string Replace(JsonObject valid, string name, JsonNode? value)
    {
        var body = (JsonObject)valid.DeepClone();
        body[name] = value;
        return body.ToJsonString();
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Count - needle.Length; i++)
        {
            if (!needle.Where((b, j) => haystack[i + j] != b).Any())
            {
                return i;
            }
        }
        return -1;
    }

    private static IEnumerable<string> Required(Operation op)
    {
        if (op.BodySchema is not { } schema)
        {
            return [];
        }
        var resolved = OpenApi.Deref(op.Document, schema);
        return resolved.ValueKind == JsonValueKind.Object && resolved.TryGetProperty("required", out var required)
            ? required.EnumerateArray().Select(r => r.GetString()!).ToList()
            : [];
    }

    /// <summary>A plausible value for a schema: required members only, enums take their first value, text carries the marker.</summary>
    private static JsonNode? Sample(JsonElement document, JsonElement schema, string marker, int depth)
    {
        schema = OpenApi.Deref(document, schema);
        if (depth > 5 || schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (schema.TryGetProperty("enum", out var values))
        {
            return JsonNode.Parse(values.EnumerateArray().First(v => v.ValueKind != JsonValueKind.Null).GetRawText());
        }
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
        {
            if (schema.TryGetProperty(combinator, out var options))
            {
                foreach (var option in options.EnumerateArray())
                {
                    if (OpenApi.TypeOf(document, option) is { } t && t != "null")
                    {
                        return Sample(document, option, marker, depth + 1);
                    }
                }
            }
        }
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        switch (OpenApi.TypeOf(document, schema))
        {
            case "object":
                var result = new JsonObject();
                if (schema.TryGetProperty("properties", out var properties))
                {
                    var required = schema.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
                    foreach (var property in properties.EnumerateObject().Where(p => required.Contains(p.Name)))
                    {
                        result[property.Name] = Sample(document, property.Value, marker, depth + 1);
                    }
                }
                return result;
            case "array":
                return new JsonArray();
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return false;
            case "string":
                return format switch
                {
                    "uuid" => Guid.NewGuid().ToString(),
                    "date-time" => DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
                    "date" => DateTime.UtcNow.ToString("yyyy-MM-dd"),
                    _ => marker,
                };
            default:
                return marker;
        }
    }

    private static bool HasCode(string problem)
    {
        try
        {
            using var document = JsonDocument.Parse(problem);
            return document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
