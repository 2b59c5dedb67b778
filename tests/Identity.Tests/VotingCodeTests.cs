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

    /// <summary>authorize (mitreden_entry=voting-code) → Identity's voting-code page → code → the web's token exchange.</summary>
    private async Task<TokenSet> CodeFlowWithVotingCodeAsync(string code)
    {
        const string verifier = "another-verifier-of-at-least-43-characters-0123456789";
        using var browser = fixture.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true,
        });
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
        var authorize = await browser.GetAsync("/connect/authorize?" + string.Join('&', new Dictionary<string, string>
        {
            ["client_id"] = "mitreden-web", ["response_type"] = "code", ["redirect_uri"] = IdentityFixture.WebRedirectUri,
            ["scope"] = "openid offline_access voting", ["state"] = "s", ["nonce"] = "n", ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256", ["mitreden_entry"] = "voting-code",
        }.Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value)}")));
        authorize.StatusCode.Should().Be(HttpStatusCode.Redirect, await authorize.Content.ReadAsStringAsync());
        var pageUrl = authorize.Headers.Location!.OriginalString;
        pageUrl.Should().StartWith("/abstimmungscode?returnUrl=");
        var page = await browser.GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync();
        html.Should().Contain("autocomplete=\"one-time-code\"");
        var antiforgery = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var returnUrl = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + pageUrl).Query)["returnUrl"]!;
        var posted = await browser.PostAsync("/abstimmungscode", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Code"] = code, ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = antiforgery,
        }));
        posted.StatusCode.Should().Be(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        var back = await browser.GetAsync(posted.Headers.Location!.OriginalString["/api/identity".Length..]);
        back.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var issued = System.Web.HttpUtility.ParseQueryString(back.Headers.Location!.Query)["code"]!;
        var tokens = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = issued, ["redirect_uri"] = IdentityFixture.WebRedirectUri,
            ["client_id"] = "mitreden-web", ["client_secret"] = IdentityFixture.WebClientSecret, ["code_verifier"] = verifier,
        });
        tokens.StatusCode.Should().Be(HttpStatusCode.OK, await tokens.Content.ReadAsStringAsync());
        return await TokenSet.ReadAsync(tokens);
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

        // The web's way: Identity's voting-code page in the code flow gives the same subject, a token of the web client.
        var viaPage = await CodeFlowWithVotingCodeAsync(codes[1].Replace("-", " "));
        viaPage.Payload.GetProperty("sub").GetString().Should().Be(other.Payload.GetProperty("sub").GetString());
        viaPage.Payload.GetProperty("client_id").GetString().Should().Be("mitreden-web");
        viaPage.Payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("code-voter");
        viaPage.Payload.GetProperty("voting_group").GetString().Should().Be(groupId.ToString());
        viaPage.RefreshToken.Should().BeNull("a code voter's sign-in ends with its access token");
        viaPage.Header.GetProperty("kid").GetString().Should().Be(fixture.ActiveKeyId);
        (viaPage.Payload.GetProperty("exp").GetInt64() - viaPage.Payload.GetProperty("iat").GetInt64()).Should().BeLessThanOrEqualTo(300);

        var wrongOnToken = await ExchangeAsync("ABCD-EFGH-JKLM");
        wrongOnToken.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await wrongOnToken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_grant");
        (await ExchangeAsync("nonsense")).StatusCode.Should().Be(HttpStatusCode.BadRequest);

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
        // The limit is per address: another address redeems the code.
        (await ExchangeAsync(codes[0])).StatusCode.Should().Be(HttpStatusCode.OK);
    }
}
