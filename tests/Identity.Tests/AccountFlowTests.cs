using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Microsoft.EntityFrameworkCore;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.Identity.Contracts;
using Mitreden.TestKit;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using Xunit;

namespace Mitreden.Identity.Tests;

[Collection(IdentityCollection.Name)]
public sealed class AccountFlowTests(IdentityFixture fixture)
{
    [Fact]
    public async Task Register_ConfirmLoginRefreshMe_FullFlowWorksWithRotatingRefreshTokens()
    {
        var email = IdentityFixture.NewEmail();
        var userId = await fixture.RegisterAsync(email, displayName: "Erika Mustermann");
        (await fixture.Anonymous().GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var (mailedUserId, token) = await fixture.ReadMailTokenAsync(email, AccountMails.ConfirmEmailPath);
        mailedUserId.Should().Be(userId);
        (await fixture.Anonymous().PostAsJsonAsync("/account/confirm-email", new { userId, token = token + "x" }))
            .StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await fixture.Anonymous().PostAsJsonAsync("/account/confirm-email", new { userId, token }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);

        var login = await fixture.LoginAsync(email, IdentityFixture.Password);
        login.TokenType.Should().Be("Bearer");
        login.ExpiresIn.Should().BeInRange(290, 300, "access tokens live 5 minutes");
        login.RefreshToken.Should().NotBeNullOrEmpty();
        var claims = login.Payload;
        claims.GetProperty("iss").GetString().Should().Be(TestIssuer.Issuer);
        claims.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).Should().BeEquivalentTo(
            "mitreden-identity", "mitreden-proposals", "mitreden-comments", "mitreden-voting", "mitreden-moderation",
            "mitreden-gateway", "mitreden-web");
        claims.GetProperty("sub").GetString().Should().Be(userId.ToString());
        claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal(Roles.Citizen);
        claims.GetProperty("verification").GetString().Should().Be(VerificationLevels.Email);
        claims.TryGetProperty("district", out _).Should().BeFalse();
        claims.GetProperty("name").GetString().Should().Be("Erika Mustermann");
        claims.GetProperty("client_id").GetString().Should().Be("mitreden-test");
        claims.GetProperty("jti").GetString().Should().NotBeNullOrEmpty();
        var iat = claims.GetProperty("iat").GetInt64();
        if (claims.TryGetProperty("nbf", out var nbf))
        {
            nbf.GetInt64().Should().Be(iat);
        }
        claims.GetProperty("exp").GetInt64().Should().Be(iat + 300, "access tokens live 5 minutes");
        iat.Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 30);
        claims.TryGetProperty("email", out _).Should().BeFalse("the email never leaves Identity in a token");
        login.Header.GetProperty("alg").GetString().Should().Be("RS256");
        login.Header.GetProperty("typ").GetString().Should().Be("at+jwt", "RFC 9068 access token");
        login.Header.GetProperty("kid").GetString().Should().Be(fixture.ActiveKeyId);

        var refreshed = await fixture.RefreshAsync(login.RefreshToken!);
        refreshed.StatusCode.Should().Be(HttpStatusCode.OK);
        refreshed.Headers.CacheControl!.NoStore.Should().BeTrue();
        var second = await TokenSet.ReadAsync(refreshed);
        second.RefreshToken.Should().NotBe(login.RefreshToken);
        second.Payload.GetProperty("jti").GetString().Should().NotBe(claims.GetProperty("jti").GetString());

        var me = await fixture.WithToken(second.AccessToken).GetFromJsonAsync<JsonElement>("/account/me");
        me.GetProperty("id").GetGuid().Should().Be(userId);
        me.GetProperty("displayName").GetString().Should().Be("Erika Mustermann");
        me.GetProperty("email").GetString().Should().Be(email);
        me.GetProperty("emailConfirmed").GetBoolean().Should().BeTrue();
        me.GetProperty("verification").GetString().Should().Be(VerificationLevels.Email);
        me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal(Roles.Citizen);
        me.GetProperty("block").ValueKind.Should().Be(JsonValueKind.Null);

        await Eventually.AssertAsync(() =>
        {
            fixture.EventsOf<UserRegistered>().Should().Contain(e => e.UserId == userId && e.DisplayName == "Erika Mustermann");
            fixture.EventsOf<UserVerified>().Should().Contain(e => e.UserId == userId && e.Verification == VerificationLevels.Email);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public async Task RefreshToken_UsedTwice_InvalidGrantAndWholeFamilyRevoked()
    {
        var account = await fixture.CreateAccountAsync();
        var otherSignIn = await fixture.LoginAsync(account.Email, IdentityFixture.Password);
        var first = account.Tokens.RefreshToken!;

        var rotated = await TokenSet.ReadAsync(await fixture.RefreshAsync(first));
        var newest = rotated.RefreshToken!;

        var reuse = await fixture.RefreshAsync(first);
        reuse.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await reuse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_grant");

        var newestAfterReuse = await fixture.RefreshAsync(newest);
        newestAfterReuse.StatusCode.Should().Be(HttpStatusCode.BadRequest, "reuse of an old token revokes the newest one of the family too");
        (await newestAfterReuse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString().Should().Be("invalid_grant");

        (await fixture.RefreshAsync(otherSignIn.RefreshToken!)).StatusCode.Should().Be(HttpStatusCode.OK, "another sign-in is another family");

        var subject = account.Id.ToString();
        var stored = await fixture.InDbAsync(db => db.Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(t => t.Subject == subject && t.Type == OpenIddictConstants.TokenTypeIdentifiers.RefreshToken).ToListAsync());
        stored.Should().HaveCountGreaterThanOrEqualTo(3, "two sign-ins and one rotation");
        stored.Where(t => t.Status == OpenIddictConstants.Statuses.Valid).Should().HaveCount(1, "only the other sign-in's newest token is still valid");
        stored.Should().NotContain(t => t.Payload == first || t.ReferenceId == first, "the refresh token itself is not stored");
    }

    [Fact]
    public async Task Login_UnconfirmedEmail_SignsInWithVerificationNone()
    {
        var account = await fixture.CreateAccountAsync(confirm: false);
        account.Tokens.Payload.GetProperty("verification").GetString().Should().Be(VerificationLevels.None);
    }

    [Fact]
    public async Task PasswordReset_MailedToken_SetsNewPasswordOnce()
    {
        var account = await fixture.CreateAccountAsync();

        (await fixture.Anonymous().PostAsJsonAsync("/account/password-reset", new { email = account.Email }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted);
        var (userId, token) = await fixture.ReadMailTokenAsync(account.Email, AccountMails.ResetPasswordPath);
        userId.Should().Be(account.Id);

        const string newPassword = "Neues-Passwort-2026";
        var weak = await fixture.Anonymous().PostAsJsonAsync("/account/password-reset/confirm", new { userId, token, newPassword = "kurz" });
        weak.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCodes").GetProperty("newPassword").GetString()
            .Should().Be("PasswordTooShort", "the password rules' own code, which Identity's pages say in the reader's language");
        (await fixture.Anonymous().PostAsJsonAsync("/account/password-reset/confirm", new { userId, token, newPassword }))
            .StatusCode.Should().Be(HttpStatusCode.NoContent);
        var usedUp = await fixture.Anonymous().PostAsJsonAsync("/account/password-reset/confirm", new { userId, token, newPassword = "Noch-ein-Passwort-1" });
        usedUp.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, "the reset changed the security stamp, so the token is used up");
        (await usedUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString().Should().Be("link-invalid");

        (await fixture.LoginAsync(account.Email, newPassword)).AccessToken.Should().NotBeNullOrEmpty();
        (await fixture.RefreshAsync(account.Tokens.RefreshToken!)).StatusCode.Should().Be(HttpStatusCode.BadRequest,
            "a password reset signs the account out everywhere");
        var old = await fixture.TokenRequestAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = account.Email, ["password"] = IdentityFixture.Password,
        });
        old.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PasswordReset_UnknownEmail_Accepted()
    {
        var response = await fixture.Anonymous().PostAsJsonAsync("/account/password-reset", new { email = IdentityFixture.NewEmail("nobody") });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Register_Invalid_ClearErrors_Duplicate_AnsweredLikeNew()
    {
        var email = IdentityFixture.NewEmail();
        await fixture.RegisterAsync(email);

        var duplicate = await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email = email.ToUpperInvariant(), password = IdentityFixture.Password, displayName = "Noch jemand" });
        duplicate.StatusCode.Should().Be(HttpStatusCode.Created, "a known address is answered like a new one; the mail tells its owner");

        var invalid = await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email = "keine-adresse", password = "kurz", displayName = "ich@example.org" });
        invalid.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var problem = await invalid.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("email", out _).Should().BeTrue();
        errors.TryGetProperty("displayName", out _).Should().BeTrue("an email address must never become the public name");
        problem.GetProperty("code").GetString().Should().Be("invalid-input");
        var codes = problem.GetProperty("errorCodes");
        codes.GetProperty("email").GetString().Should().Be("email-invalid", "a client says each refused field in its own words by code");
        codes.GetProperty("displayName").GetString().Should().Be("display-name-at");

        var tooLong = await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email = IdentityFixture.NewEmail(), password = new string('x', 257), displayName = "Anna" });
        tooLong.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errorCodes").GetProperty("password").GetString()
            .Should().Be("password-too-long");

        var unknownField = await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email = IdentityFixture.NewEmail(), password = IdentityFixture.Password, displayName = "Anna", isAdmin = true });
        unknownField.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TokenEndpoint_BadRequests_OAuthErrors()
    {
        async Task<(HttpStatusCode Status, string Error)> Send(HttpContent content)
        {
            var response = await fixture.Anonymous().PostAsync("/connect/token", content);
            return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!);
        }
        FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

        (await Send(JsonContent.Create(new { grant_type = "password" }))).Should().Be((HttpStatusCode.BadRequest, "invalid_request"));
        (await Send(Form(("grant_type", "urn:ietf:params:oauth:grant-type:device_code")))).Should().Be((HttpStatusCode.BadRequest, "unsupported_grant_type"));
        (await Send(Form(("grant_type", "authorization_code"), ("client_id", "mitreden-web")))).Should().Be((HttpStatusCode.BadRequest, "invalid_request"),
            "the code flow exists, but needs a code, a redirect URI and the PKCE verifier");
        (await Send(Form(("client_id", "mitreden-web")))).Should().Be((HttpStatusCode.BadRequest, "invalid_request"));
        (await Send(Form(("grant_type", "password"), ("username", "a@example.org"), ("password", "x"))))
            .Should().Be((HttpStatusCode.BadRequest, "invalid_request"));
        (await Send(Form(("grant_type", "password"), ("client_id", IdentityFixture.ServiceClientId), ("client_secret", IdentityFixture.ServiceClientSecret),
                ("username", "a@example.org"), ("password", "x"))))
            .Should().Be((HttpStatusCode.BadRequest, "unauthorized_client"), "a service client has no password grant");
        (await Send(Form(("grant_type", "password"), ("client_id", IdentityFixture.ServiceClientId), ("username", "a@example.org"), ("password", "x"))))
            .Should().Be((HttpStatusCode.Unauthorized, "invalid_client"), "a confidential client that does not authenticate is refused first");
        (await Send(Form(("grant_type", "password"), ("client_id", "mitreden-test"), ("username", IdentityFixture.NewEmail()), ("password", "x"))))
            .Should().Be((HttpStatusCode.BadRequest, "invalid_grant"));
        (await Send(Form(("grant_type", "refresh_token"), ("client_id", "mitreden-test"), ("refresh_token", "nope"))))
            .Should().Be((HttpStatusCode.BadRequest, "invalid_grant"));
        (await Send(Form(("grant_type", "client_credentials"), ("client_id", IdentityFixture.ServiceClientId), ("client_secret", "wrong-secret-0123456789"))))
            .Should().Be((HttpStatusCode.Unauthorized, "invalid_client"));
        (await Send(Form(("grant_type", "client_credentials"), ("client_id", "unknown-client"), ("client_secret", IdentityFixture.ServiceClientSecret))))
            .Should().Be((HttpStatusCode.Unauthorized, "invalid_client"));
    }

    [Fact]
    public async Task ClientCredentials_BasicAuth_ServiceTokenWithoutSubject()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{IdentityFixture.ServiceClientId}:{IdentityFixture.ServiceClientSecret}")));
        var response = await fixture.Anonymous().SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var token = await TokenSet.ReadAsync(response);
        token.RefreshToken.Should().BeNull();
        token.Payload.TryGetProperty("sub", out _).Should().BeFalse();
        token.Payload.GetProperty("client_id").GetString().Should().Be(IdentityFixture.ServiceClientId);
        token.Payload.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).Should().Equal("service");

        (await fixture.WithToken(token.AccessToken).GetAsync("/account/me")).StatusCode.Should().Be(HttpStatusCode.Forbidden,
            "a service token is valid but is no user");
    }
}
