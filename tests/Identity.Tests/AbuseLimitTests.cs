using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FluentAssertions;
using Mitreden.Identity.Api.Features.Abuse;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.Identity.Tests;

/// <summary>
/// Identity's own limits (AttemptLimits, default configuration), straight at the service without the gateway. Each test
/// speaks from addresses of its own (X-Forwarded-For), so the per-address counts of other tests do not interfere.
/// </summary>
[Collection(IdentityCollection.Name)]
public sealed class AbuseLimitTests(IdentityFixture fixture)
{
    private static readonly AttemptLimits Defaults = new();

    private static Dictionary<string, string> Login(string email, string password) => new()
    {
        ["grant_type"] = "password", ["client_id"] = "mitreden-test", ["username"] = email, ["password"] = password,
    };

    private static async Task<(HttpStatusCode Status, string? MediaType, TimeSpan? RetryAfter, JsonElement Body)> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta,
                text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
        }
    }

    private static IEnumerable<string> Shape(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object ? body.EnumerateObject().Select(p => p.Name).Where(n => n != "traceId").Order() : [];

    [Fact]
    public async Task SignIn_ThirtyFailuresFromOneAddress_Get429WithRetryAfter_OtherAddressSignsIn()
    {
        var account = await fixture.CreateAccountAsync();
        var attacker = IdentityFixture.RandomAddress();
        var answers = new List<(HttpStatusCode Status, string? MediaType, TimeSpan? RetryAfter, JsonElement Body)>();
        for (var i = 0; i < 30; i++)
        {
            // Across many accounts (known and unknown), so only the per-address count can stop it.
            var email = i % 3 == 0 ? account.Email : IdentityFixture.NewEmail("opfer");
            answers.Add(await ReadAsync(await fixture.TokenRequestAsync(Login(email, "Falsches-Passwort-" + i), attacker)));
        }

        answers.Take(Defaults.SignInFailuresPerAccountAndAddress - 1).Should().OnlyContain(a => a.Status == HttpStatusCode.BadRequest);
        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        limited.Should().HaveCountGreaterThanOrEqualTo(30 - Defaults.SignInFailuresPerAddress);
        limited.Should().OnlyContain(a => a.MediaType == "application/problem+json" && a.RetryAfter >= TimeSpan.FromSeconds(1));
        limited.Should().OnlyContain(a => a.Body.GetProperty("error").GetString() == "too_many_attempts", "OAuth clients read 'error'");
        answers.Should().NotContain(a => (int)a.Status >= 500);

        (await fixture.TokenRequestAsync(Login(account.Email, IdentityFixture.Password), IdentityFixture.RandomAddress()))
            .StatusCode.Should().Be(HttpStatusCode.OK, "the limit is per address: the owner signs in from elsewhere");
    }

    [Fact]
    public async Task SignIn_LockoutOfKnownAccount_AnswersExactlyLikeUnknownAccount_OwnerNotLockedOutAtHome()
    {
        var account = await fixture.CreateAccountAsync();
        var unknown = IdentityFixture.NewEmail("niemand");
        var stranger = IdentityFixture.RandomAddress();
        var known = new List<(HttpStatusCode Status, string? MediaType, TimeSpan? RetryAfter, JsonElement Body)>();
        var none = new List<(HttpStatusCode Status, string? MediaType, TimeSpan? RetryAfter, JsonElement Body)>();
        for (var i = 0; i <= Defaults.SignInFailuresPerAccountAndAddress; i++)
        {
            known.Add(await ReadAsync(await fixture.TokenRequestAsync(Login(account.Email, "Falsch-" + i), stranger)));
            none.Add(await ReadAsync(await fixture.TokenRequestAsync(Login(unknown, "Falsch-" + i), stranger)));
        }
        // The right password from the stranger's address is refused as well: the lockout does not test passwords.
        known.Add(await ReadAsync(await fixture.TokenRequestAsync(Login(account.Email, IdentityFixture.Password), stranger)));
        none.Add(await ReadAsync(await fixture.TokenRequestAsync(Login(unknown, IdentityFixture.Password), stranger)));

        known.Select(a => a.Status).Should().Equal(none.Select(a => a.Status));
        known[^1].Status.Should().Be(HttpStatusCode.TooManyRequests);
        for (var i = 0; i < known.Count; i++)
        {
            known[i].MediaType.Should().Be(none[i].MediaType);
            Shape(known[i].Body).Should().Equal(Shape(none[i].Body));
            known[i].Body.TryGetProperty("detail", out var knownDetail).Should().Be(none[i].Body.TryGetProperty("detail", out var noneDetail));
            (knownDetail.ValueKind == JsonValueKind.String ? knownDetail.GetString() : null)
                .Should().Be(noneDetail.ValueKind == JsonValueKind.String ? noneDetail.GetString() : null);
            known[i].Body.GetProperty("error").GetString().Should().Be(none[i].Body.GetProperty("error").GetString());
            known[i].Body.TryGetProperty("error_description", out var kd);
            none[i].Body.TryGetProperty("error_description", out var nd);
            kd.GetString().Should().Be(nd.GetString());
        }

        (await fixture.TokenRequestAsync(Login(account.Email, IdentityFixture.Password), IdentityFixture.RandomAddress()))
            .StatusCode.Should().Be(HttpStatusCode.OK, "a stranger's failures do not lock the owner out from their own address");
    }

    [Fact]
    public async Task Register_KnownAddress_SameAnswerAsNew_AndMailSaysAnAccountExists()
    {
        var email = IdentityFixture.NewEmail("doppelt");
        var first = await ReadAsync(await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email, password = IdentityFixture.Password, displayName = "Erste Person" }));
        var second = await ReadAsync(await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email, password = "Ein-anderes-Passwort-1", displayName = "Zweite Person" }));

        second.Status.Should().Be(first.Status).And.Be(HttpStatusCode.Created);
        second.MediaType.Should().Be(first.MediaType);
        Shape(second.Body).Should().Equal(Shape(first.Body));
        second.Body.GetProperty("userId").GetGuid().Should().NotBe(first.Body.GetProperty("userId").GetGuid(), "no id of the existing account leaks");

        var mails = await Eventually.ValueAsync(() => Task.FromResult(fixture.MailsTo(email)), m => m.Count >= 2, TimeSpan.FromSeconds(10));
        mails.Should().HaveCount(2);
        var exists = mails.Single(m => m.Body.Contains("bereits ein Konto", StringComparison.Ordinal));
        exists.Body.Should().Contain("An account already exists", "German first, English second");
        exists.Body.IndexOf("bereits ein Konto", StringComparison.Ordinal).Should().BeLessThan(exists.Body.IndexOf("An account already exists", StringComparison.Ordinal));
        exists.Body.Should().Contain("Erste Person", "the mail greets the owner, not the second caller");
        (await fixture.InDbAsync(db => Task.FromResult(db.Users.Count(u => u.Email == email)))).Should().Be(1);
        (await fixture.TokenRequestAsync(Login(email, IdentityFixture.Password))).StatusCode.Should().Be(HttpStatusCode.OK,
            "the first password stays the account's");
    }

    [Fact]
    public async Task Register_InvalidPassword_RefusedAlikeForKnownAndNewAddress()
    {
        var account = await fixture.CreateAccountAsync();
        var known = await ReadAsync(await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email = account.Email, password = "kurz", displayName = "Jemand" }));
        var fresh = await ReadAsync(await fixture.Anonymous().PostAsJsonAsync("/account/register",
            new { email = IdentityFixture.NewEmail(), password = "kurz", displayName = "Jemand" }));
        known.Status.Should().Be(HttpStatusCode.UnprocessableEntity);
        fresh.Status.Should().Be(known.Status);
        Shape(fresh.Body).Should().Equal(Shape(known.Body));
    }

    [Fact]
    public async Task Register_ManyFromOneAddress_429AfterTheLimit()
    {
        var address = IdentityFixture.RandomAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            var answer = await ReadAsync(await fixture.Anonymous(address).PostAsJsonAsync("/account/register",
                new { email = IdentityFixture.NewEmail("serie"), password = IdentityFixture.Password, displayName = "Serie " + i }));
            statuses.Add(answer.Status);
            if (answer.Status == HttpStatusCode.TooManyRequests)
            {
                answer.RetryAfter.Should().BePositive();
                answer.MediaType.Should().Be("application/problem+json");
            }
        }
        statuses.Take(Defaults.RegistrationsPerAddress).Should().OnlyContain(s => s == HttpStatusCode.Created);
        statuses.Skip(Defaults.RegistrationsPerAddress).Should().OnlyContain(s => s == HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task PasswordReset_MailsPerTargetAddressCapped_FromManyAddresses_SameForUnknownAddress()
    {
        var account = await fixture.CreateAccountAsync(); // its confirmation mail counts too
        var unknown = IdentityFixture.NewEmail("niemand");
        var known = new List<HttpStatusCode>();
        var none = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            // Each request from another address: only the count per target address can stop them.
            var answer = await ReadAsync(await fixture.Anonymous().PostAsJsonAsync("/account/password-reset", new { email = account.Email }));
            known.Add(answer.Status);
            if (answer.Status == HttpStatusCode.TooManyRequests)
            {
                answer.RetryAfter.Should().BePositive();
                answer.MediaType.Should().Be("application/problem+json");
            }
            none.Add((await ReadAsync(await fixture.Anonymous().PostAsJsonAsync("/account/password-reset", new { email = unknown }))).Status);
        }

        known.Should().Contain(HttpStatusCode.TooManyRequests);
        known.Where(s => s == HttpStatusCode.Accepted).Should().HaveCount(Defaults.MailsPerTarget - 1);
        none.Where(s => s == HttpStatusCode.Accepted).Should().HaveCount(Defaults.MailsPerTarget, "an unknown address is counted alike");
        await Task.Delay(TimeSpan.FromSeconds(1)); // the mail queue sends in the background
        fixture.MailsTo(account.Email).Should().HaveCountLessThanOrEqualTo(Defaults.MailsPerTarget);
    }
}
