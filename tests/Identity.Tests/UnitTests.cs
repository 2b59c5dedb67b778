using System.Security.Cryptography;
using FluentAssertions;
using Microsoft.Extensions.Time.Testing;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Account;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.Keys;
using Mitreden.Identity.Api.Features.Mail;
using Mitreden.ServiceDefaults.Exports;
using Xunit;

namespace Mitreden.Identity.Tests;

public sealed class OneTimeCodesTests
{
    [Fact]
    public void Generate_ManyCodes_GroupedFromUnambiguousAlphabet()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => OneTimeCodes.Generate()).ToList();
        codes.Should().OnlyHaveUniqueItems();
        codes.Should().OnlyContain(c => c.Length == 14 && c[4] == '-' && c[9] == '-');
        string.Concat(codes).Replace("-", "").Should().NotContainAny("0", "1", "I", "O");
    }

    [Theory]
    [InlineData("abcd-efgh-jkmn", "ABCDEFGHJKMN")]
    [InlineData(" ABCD EFGH JKMN ", "ABCDEFGHJKMN")]
    [InlineData("ABCDEFGHJKMN", "ABCDEFGHJKMN")]
    [InlineData("ABCD-EFGH-JKM", null)]
    [InlineData("ABCD-EFGH-JKMNP", null)]
    [InlineData("ABCD-EFGH-JKM0", null)]
    [InlineData("ABCD-EFGH-JKMÄ", null)]
    [InlineData("", null)]
    public void Normalize_Input_CanonicalCodeOrNull(string input, string? expected) =>
        OneTimeCodes.Normalize(input).Should().Be(expected);

    [Fact]
    public void Hash_DifferentSaltOrPepper_DifferentHash()
    {
        var pepper = RandomNumberGenerator.GetBytes(32);
        var salt = OneTimeCodes.NewSalt();
        var hash = OneTimeCodes.Hash(OneTimeCodes.BatchKey(pepper, salt), "ABCDEFGHJKMN");
        OneTimeCodes.Hash(OneTimeCodes.BatchKey(pepper, salt), "ABCDEFGHJKMN").Should().Equal(hash);
        OneTimeCodes.Hash(OneTimeCodes.BatchKey(pepper, OneTimeCodes.NewSalt()), "ABCDEFGHJKMN").Should().NotEqual(hash);
        OneTimeCodes.Hash(OneTimeCodes.BatchKey(RandomNumberGenerator.GetBytes(32), salt), "ABCDEFGHJKMN").Should().NotEqual(hash);
    }

    [Theory]
    [InlineData("Rat", "Rat")]
    [InlineData("Rat; Sitzung", "\"Rat; Sitzung\"")]
    [InlineData("Der \"Rat\"", "\"Der \"\"Rat\"\"\"")]
    [InlineData("=1+2", "'=1+2")]
    [InlineData("-Rat", "'-Rat")]
    public void GroupNameField_SpecialCharactersAndFormulas_QuotedAndNeutralised(string value, string expected) =>
        CsvText.Field(value, ';').Should().Be(expected);
}

public sealed class SigningKeysTests
{
    private static readonly TimeSpan Lead = TimeSpan.FromMinutes(5);

    [Fact]
    public void Active_NewKeyDue_SignsOnlyAfterPublishedForOneValidatorRefresh()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
        var old = new ConfiguredKey(RSA.Create(2048), signFrom: null);
        var next = new ConfiguredKey(RSA.Create(2048), signFrom: clock.GetUtcNow().AddHours(-1));
        var keys = new SigningKeys([old, next], Lead, clock);

        keys.Active.KeyId.Should().Be(old.KeyId, "the new key was published only now: validators may not know it yet");
        clock.Advance(Lead - TimeSpan.FromSeconds(1));
        keys.Active.KeyId.Should().Be(old.KeyId);
        clock.Advance(TimeSpan.FromSeconds(1));
        keys.Active.KeyId.Should().Be(next.KeyId);
    }

    [Fact]
    public void Active_NewKeyDue_LeadCountsFromWhenTheServerListens()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
        var old = new ConfiguredKey(RSA.Create(2048), signFrom: null);
        var next = new ConfiguredKey(RSA.Create(2048), signFrom: clock.GetUtcNow().AddHours(-1));
        var keys = new SigningKeys([old, next], Lead, clock);

        clock.Advance(TimeSpan.FromSeconds(20));   // a slow start: nobody could fetch the JWKS yet
        keys.MarkServing();
        clock.Advance(Lead - TimeSpan.FromSeconds(1));
        keys.Active.KeyId.Should().Be(old.KeyId, "validators have had less than one refresh interval to learn the key");
        clock.Advance(TimeSpan.FromSeconds(1));
        keys.Active.KeyId.Should().Be(next.KeyId);
    }

    [Fact]
    public void Active_SignFromInTheFuture_OldKeySignsUntilThen()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 3, 0, 0, TimeSpan.Zero));
        var old = new ConfiguredKey(RSA.Create(2048), signFrom: null);
        var next = new ConfiguredKey(RSA.Create(2048), signFrom: clock.GetUtcNow().AddHours(1));
        var keys = new SigningKeys([old, next], Lead, clock);

        clock.Advance(TimeSpan.FromMinutes(59));
        keys.Active.KeyId.Should().Be(old.KeyId);
        clock.Advance(TimeSpan.FromMinutes(1));
        keys.Active.KeyId.Should().Be(next.KeyId);
        keys.ValidationKeys.Select(k => k.KeyId).Should().BeEquivalentTo([old.KeyId, next.KeyId]);
    }

    [Fact]
    public void Active_OnlyKey_SignsAtOnce()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var only = new ConfiguredKey(RSA.Create(2048), signFrom: clock.GetUtcNow().AddDays(-3));
        new SigningKeys([only], Lead, clock).Active.KeyId.Should().Be(only.KeyId);
    }

    [Fact]
    public void Constructor_TwoKeysWithoutSignFromOrTheSameKeyTwice_Refused()
    {
        var rsa = RSA.Create(2048);
        FluentActions.Invoking(() => new SigningKeys([new ConfiguredKey(RSA.Create(2048), null), new ConfiguredKey(RSA.Create(2048), null)], Lead, TimeProvider.System))
            .Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => new SigningKeys([new ConfiguredKey(rsa, null), new ConfiguredKey(rsa, DateTimeOffset.UtcNow)], Lead, TimeProvider.System))
            .Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => new SigningKeys([], Lead, TimeProvider.System)).Should().Throw<InvalidOperationException>();
    }
}

public sealed class NamingTests
{
    [Theory]
    [InlineData("NormalizedEmail", "normalized_email")]
    [InlineData("Id", "id")]
    [InlineData("TwoFactorEnabled", "two_factor_enabled")]
    [InlineData("EncryptedPrivateKey", "encrypted_private_key")]
    [InlineData("HTTPServer", "http_server")]
    public void SnakeCase_PropertyNames_Converted(string name, string expected) => IdentityDb.SnakeCase(name).Should().Be(expected);

    [Theory]
    [InlineData("  Anna   Beispiel ", "Anna Beispiel", null)]
    [InlineData("A", null, DisplayNames.LengthProblem)]
    [InlineData("anna@example.org", null, DisplayNames.AtProblem)]
    [InlineData("Anna\u0007", null, DisplayNames.ControlProblem)]
    public void DisplayName_Problem_TrimsAndRefusesWithItsCode(string input, string? expected, string? problem)
    {
        DisplayNames.Problem(input, out var name).Should().Be(problem);
        if (problem is null)
        {
            name.Should().Be(expected);
        }
    }
}

public sealed class MailLinkTests
{
    [Fact]
    public void TestKitMailbox_LinkPaths_AreTheOnesIdentityMails()
    {
        // Every test project finds mailed links through the test kit; it must look for the paths Identity writes.
        Mitreden.TestKit.Mailbox.ConfirmEmailPath.Should().Be(AccountMails.ConfirmEmailPath);
        Mitreden.TestKit.Mailbox.ResetPasswordPath.Should().Be(AccountMails.ResetPasswordPath);
    }

    [Fact]
    public void UserAndToken_MailedLink_ReadsAccountAndToken()
    {
        var id = Guid.NewGuid();
        Mitreden.TestKit.Mailbox.UserAndToken($"http://127.0.0.1:8080{AccountMails.ConfirmEmailPath}?userId={id}&token=ab-C_9")
            .Should().Be((id, "ab-C_9"));
    }
}
