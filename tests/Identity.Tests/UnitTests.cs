using System.Security.Cryptography;
using FluentAssertions;
using Mitreden.Identity.Api.Data;
using Mitreden.Identity.Api.Features.Account;
using Mitreden.Identity.Api.Features.Codes;
using Mitreden.Identity.Api.Features.Keys;
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

public sealed class KeyProtectorTests
{
    [Fact]
    public void Decrypt_RightKeyAndKid_RoundTrips_OtherwiseThrows()
    {
        var kek = RandomNumberGenerator.GetBytes(32);
        using var rsa = RSA.Create(2048);
        var pkcs8 = rsa.ExportPkcs8PrivateKey();
        var sealedKey = KeyProtector.Encrypt(kek, pkcs8, "kid-1");

        KeyProtector.Decrypt(kek, sealedKey, "kid-1").Should().Equal(pkcs8);
        FluentActions.Invoking(() => KeyProtector.Decrypt(kek, sealedKey, "kid-2")).Should().Throw<CryptographicException>("the kid is bound as associated data");
        FluentActions.Invoking(() => KeyProtector.Decrypt(RandomNumberGenerator.GetBytes(32), sealedKey, "kid-1")).Should().Throw<CryptographicException>();
        sealedKey[^1] ^= 1;
        FluentActions.Invoking(() => KeyProtector.Decrypt(kek, sealedKey, "kid-1")).Should().Throw<CryptographicException>();
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
    [InlineData("  Anna   Beispiel ", "Anna Beispiel", true)]
    [InlineData("A", null, false)]
    [InlineData("anna@example.org", null, false)]
    [InlineData("Anna\u0007", null, false)]
    public void DisplayName_Validate_TrimsAndRefuses(string input, string? expected, bool valid)
    {
        var error = DisplayNames.Validate(input, out var name);
        (error is null).Should().Be(valid);
        if (valid)
        {
            name.Should().Be(expected);
        }
    }
}
