using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Contracts;
using Mitreden.TestKit;
using Npgsql;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class LetterCodeTests(IdentityFixture fixture)
{
    private async Task<(Guid BatchId, List<string> Codes)> CreateBatchAsync(HttpClient staff, string district, int count)
    {
        await fixture.EnsureDistrictAsync(district);
        var response = await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district, count });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        var batchId = Guid.Parse(response.Headers.Location!.ToString().Split('/').Last());
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("code;district");
        var rows = lines.Skip(1).Select(l => l.Split(';')).ToList();
        rows.Should().HaveCount(count).And.OnlyContain(r => r.Length == 2 && r[1] == district);
        rows.Should().OnlyContain(r => System.Text.RegularExpressions.Regex.IsMatch(r[0], "^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$"));
        return (batchId, rows.Select(r => r[0]).ToList());
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient client, string code) =>
        client.PostAsJsonAsync("/verification/letter-codes/redeem", new { code });

    [Fact]
    public async Task LetterCode_RedeemOnce_ResidentOfDistrictThenConflictOnReuse()
    {
        var staff = await fixture.StaffAsync();
        var (batchId, codes) = await CreateBatchAsync(staff, "mitte", 5);
        var citizen = await fixture.CreateAccountAsync();
        var client = fixture.WithToken(citizen.Tokens.AccessToken);

        // Typed in lower case without dashes: still the code.
        var redeemed = await RedeemAsync(client, codes[0].Replace("-", "").ToLowerInvariant());
        redeemed.StatusCode.Should().Be(HttpStatusCode.OK, await redeemed.Content.ReadAsStringAsync());
        var body = await redeemed.Content.ReadFromJsonAsync<JsonElement>();
        body.GetProperty("verification").GetString().Should().Be("resident");
        body.GetProperty("district").GetString().Should().Be("mitte");

        var refreshed = await TokenSet.ReadAsync(await fixture.RefreshAsync(citizen.Tokens.RefreshToken!));
        refreshed.Payload.GetProperty("verification").GetString().Should().Be("resident");
        refreshed.Payload.GetProperty("district").GetString().Should().Be("mitte");

        var other = await fixture.CreateAccountAsync();
        var reuse = await RedeemAsync(fixture.WithToken(other.Tokens.AccessToken), codes[0]);
        reuse.StatusCode.Should().Be(HttpStatusCode.Conflict);
        var used = await reuse.Content.ReadFromJsonAsync<JsonElement>();
        used.GetProperty("code").GetString().Should().Be("letter-code-used");
        used.GetProperty("lang").GetString().Should().Be("de");

        var unknown = await RedeemAsync(fixture.WithToken(other.Tokens.AccessToken), "ABCD-EFGH-JKLM");
        unknown.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("letter-code-unknown");
        problem.GetProperty("errorCodes").GetProperty("code").GetString().Should().Be("letter-code-unknown");
        problem.GetProperty("detail").GetString().Should().Contain("nicht gültig");

        var batches = await staff.GetFromJsonAsync<JsonElement>("/admin/letter-code-batches");
        var batch = batches.EnumerateArray().Single(b => b.GetProperty("id").GetGuid() == batchId);
        batch.GetProperty("codeCount").GetInt32().Should().Be(5);
        batch.GetProperty("redeemedCodes").GetInt32().Should().Be(1);
        batch.GetRawText().Should().NotContain(codes[1]);

        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserVerified>().Should().Contain(e => e.UserId == citizen.Id && e.Verification == "resident" && e.District == "mitte");
            return Task.CompletedTask;
        });
        var audit = await fixture.InDbAsync(db => db.AuditEntries.Where(a => a.TargetId == citizen.Id.ToString()).Select(a => a.Action).ToListAsync());
        audit.Should().Contain("residency-verified");
    }

    [Fact]
    public async Task LetterCodes_Stored_OnlyAsKeyedHashes()
    {
        var staff = await fixture.StaffAsync();
        var (batchId, codes) = await CreateBatchAsync(staff, "nord", 3);

        var connectionString = fixture.Factory.Database.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var dump = new StringBuilder();
        foreach (var table in new[] { "letter_codes", "letter_code_batches", "audit_log" })
        {
            await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }
        foreach (var code in codes)
        {
            var plain = code.Replace("-", "");
            dump.ToString().Should().NotContain(code).And.NotContain(plain).And.NotContain(Convert.ToHexStringLower(Encoding.ASCII.GetBytes(plain)));
            dump.ToString().Should().NotContain(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(plain))), "not an unkeyed hash either");
        }

        // The stored value is HMAC-SHA256 keyed by the batch salt (and the server pepper).
        var secrets = fixture.Factory.Services.GetRequiredService<IdentitySecrets>();
        var salt = await fixture.InDbAsync(db => db.LetterCodeBatches.Where(b => b.Id == batchId).Select(b => b.Salt).SingleAsync());
        var expected = OneTimeCodes.Hash(OneTimeCodes.BatchKey(secrets.CodePepper, salt), codes[0].Replace("-", ""));
        (await fixture.InDbAsync(db => db.LetterCodes.CountAsync(c => c.CodeHash == expected))).Should().Be(1);
    }

    [Fact]
    public async Task LetterCode_FiveFailures_ThenTooManyRequestsEvenForAValidCode()
    {
        var staff = await fixture.StaffAsync();
        var (_, codes) = await CreateBatchAsync(staff, "sued", 1);
        var citizen = await fixture.CreateAccountAsync();
        var client = fixture.WithToken(citizen.Tokens.AccessToken);

        for (var i = 0; i < 5; i++)
        {
            (await RedeemAsync(client, "ZZZZ-ZZZZ-ZZZ" + (char)('A' + i))).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        }
        var limited = await RedeemAsync(client, codes[0]);
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
        retryAfter.Should().BeGreaterThan(TimeSpan.FromMinutes(55)).And.BeLessThanOrEqualTo(TimeSpan.FromHours(1));

        var rejected = await fixture.InDbAsync(db => db.AuditEntries.CountAsync(a => a.ActorId == citizen.Id && a.Action == "letter-code-rejected"));
        rejected.Should().Be(5);

        var other = await fixture.CreateAccountAsync();
        (await RedeemAsync(fixture.WithToken(other.Tokens.AccessToken), codes[0])).StatusCode.Should().Be(HttpStatusCode.OK, "the limit is per user");
    }

    [Fact]
    public async Task LetterCodeBatch_ByCitizenOrInvalid_Refused()
    {
        var citizen = await fixture.CreateAccountAsync();
        (await fixture.WithToken(citizen.Tokens.AccessToken).PostAsJsonAsync("/admin/letter-code-batches", new { district = "mitte", count = 1 }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden);
        var staff = await fixture.StaffAsync();
        var notASlug = await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district = "Mitte Süd", count = 0 });
        notASlug.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await notASlug.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("district").GetArrayLength().Should().Be(1, "the error names its field");
        problem.GetProperty("errorCodes").GetProperty("district").GetString().Should().Be("district-slug");
        problem.GetProperty("errorCodes").GetProperty("count").GetString().Should().Be("letter-code-count");
        (await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district = "mitte", count = 10_001 })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district = "mitte", count = 0 })).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task LetterCodeBatch_DistrictTheCityDoesNotHave_422NamesTheFieldAndStoresNothing()
    {
        var staff = await fixture.StaffAsync();
        var slug = "mitte-nord-" + Guid.NewGuid().ToString("N")[..6];
        var before = await fixture.InDbAsync(db => db.LetterCodeBatches.CountAsync());

        var response = await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district = slug, count = 3 });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("code").GetString().Should().Be("district-unknown");
        problem.GetProperty("errorCodes").GetProperty("district").GetString().Should().Be("district-unknown");
        problem.GetProperty("errors").GetProperty("district")[0].GetString().Should().Contain(slug);
        (await fixture.InDbAsync(db => db.LetterCodeBatches.CountAsync())).Should().Be(before);

        await fixture.EnsureDistrictAsync(slug);
        (await staff.PostAsJsonAsync("/admin/letter-code-batches", new { district = slug, count = 3 })).StatusCode.Should().Be(HttpStatusCode.Created);
    }
}
