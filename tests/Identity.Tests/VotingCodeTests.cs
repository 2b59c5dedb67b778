using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class VotingCodeTests(IdentityFixture fixture)
{
    private async Task<(Guid GroupId, List<string> Codes)> CreateGroupAsync(int count, string name = "Rat der Stadt; Sitzung März")
    {
        var staff = await fixture.StaffAsync();
        var response = await staff.PostAsJsonAsync("/admin/voting-code-groups", new { name, count });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be("code;group_id;group_name");
        var groupId = Guid.Parse(response.Headers.Location!.ToString().Split('/').Last());
        lines.Skip(1).Should().HaveCount(count).And.OnlyContain(l => l.EndsWith($";{groupId};\"{name}\"", StringComparison.Ordinal));
        return (groupId, lines.Skip(1).Select(l => l.Split(';')[0]).ToList());
    }

    private Task<HttpResponseMessage> ExchangeAsync(string code, string? address = null) =>
        fixture.TokenRequestAsync(new Dictionary<string, string> { ["grant_type"] = "urn:mitreden:voting-code", ["code"] = code }, address);

    [Fact]
    public async Task CreateGroup_NameStartingAFormula_CsvCellNeutralised()
    {
        var staff = await fixture.StaffAsync();

        var response = await staff.PostAsJsonAsync("/admin/voting-code-groups", new { name = "=HYPERLINK(\"http://x\")", count = 1 });

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[1].Should().EndWith(";\"'=HYPERLINK(\"\"http://x\"\")\"", "a group name cannot become a spreadsheet formula");
    }

    [Fact]
    public async Task VotingCode_Exchange_StableAnonymousSubjectPerCode()
    {
        var (groupId, codes) = await CreateGroupAsync(3);

        var first = await TokenSet.ReadAsync(await ExchangeAsync(codes[0]));
        var again = await TokenSet.ReadAsync(await ExchangeAsync(codes[0].ToLowerInvariant()));
        var other = await TokenSet.ReadAsync(await ExchangeAsync(codes[1]));

        var sub = first.Payload.GetProperty("sub").GetString();
        again.Payload.GetProperty("sub").GetString().Should().Be(sub, "the same code always votes as the same subject");
        other.Payload.GetProperty("sub").GetString().Should().NotBe(sub);
        first.RefreshToken.Should().BeNull();
        first.Payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("code-voter");
        first.Payload.GetProperty("verification").GetString().Should().Be("code");
        first.Payload.GetProperty("voting_group").GetString().Should().Be(groupId.ToString());
        first.Payload.TryGetProperty("name", out _).Should().BeFalse();
        first.Payload.GetProperty("client_id").GetString().Should().Be("mitreden-web", "a code token is for the web, asked with or without a client");

        var subject = Guid.Parse(sub!);
        (await fixture.InDbAsync(db => db.Users.AnyAsync(u => u.Id == subject))).Should().BeFalse("a code subject is linked to no account");
        (await fixture.WithToken(first.AccessToken).GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a voting code is no account");

        var redeemed = await fixture.Anonymous().PostAsJsonAsync("/voting-codes/redeem", new { code = codes[1].Replace("-", " ") });
        redeemed.StatusCode.Should().Be(HttpStatusCode.OK);
        var viaForm = await TokenSet.ReadAsync(redeemed);
        viaForm.Payload.GetProperty("sub").GetString().Should().Be(other.Payload.GetProperty("sub").GetString());
        viaForm.Payload.GetProperty("client_id").GetString().Should().Be("mitreden-web");
        viaForm.Payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("code-voter");
        viaForm.Header.GetProperty("kid").GetString().Should().Be(fixture.ActiveKeyId);
        (viaForm.Payload.GetProperty("exp").GetInt64() - viaForm.Payload.GetProperty("iat").GetInt64()).Should().BeLessThanOrEqualTo(300);

        var wrongOnToken = await ExchangeAsync("ABCD-EFGH-JKLM");
        wrongOnToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrongOnToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_grant");
        (await fixture.Anonymous().PostAsJsonAsync("/voting-codes/redeem", new { code = "nonsense" }))
            .StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);

        var groups = await (await fixture.StaffAsync()).GetFromJsonAsync<JsonElement>("/admin/voting-code-groups");
        groups.EnumerateArray().Single(g => g.GetProperty("id").GetGuid() == groupId).GetProperty("usedCodes").GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task VotingCode_ManyWrongCodesFromOneAddress_TooManyRequests()
    {
        var (_, codes) = await CreateGroupAsync(1);
        var guesser = IdentityFixture.RandomAddress();
        for (var i = 0; i < 10; i++)
        {
            (await ExchangeAsync($"WRNG-CODE-{i + 2}AAA", guesser)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        }
        var limited = await ExchangeAsync(codes[0], guesser);
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "at the limit even a right code waits");
        limited.Headers.RetryAfter!.Delta.Should().BePositive();
        var redeem = await fixture.Anonymous(guesser).PostAsJsonAsync("/voting-codes/redeem", new { code = codes[0] });
        redeem.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        // The limit is per address: another address redeems the code.
        (await ExchangeAsync(codes[0])).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
