using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class JsonWebKeySetTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    private static string Jwks(params JsonNode?[] keys) => new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

    [Fact]
    public void Parse_RsaAndEcKeys_PinsOneAlgorithmEach()
    {
        var set = JsonWebKeySet.Parse(_tokens.JwksJson);

        set.Keys.Should().HaveCount(2);
        set.Find(_tokens.RsaKeyId)!.Algorithm.Should().Be("RS256");
        set.Find(_tokens.RsaKeyId)!.KeyType.Should().Be("RSA");
        set.Find(_tokens.EcKeyId)!.Algorithm.Should().Be("ES256");
        set.Find(_tokens.EcKeyId)!.KeyType.Should().Be("EC");
        set.SkippedKeys.Should().BeEmpty();
    }

    [Fact]
    public void Parse_KeysWithoutAlg_ArePinnedByKeyType()
    {
        var set = JsonWebKeySet.Parse(Jwks(_tokens.RsaJwk(includeAlg: false), _tokens.EcJwk(includeAlg: false)));

        set.Find(_tokens.RsaKeyId)!.Algorithm.Should().Be("RS256");
        set.Find(_tokens.EcKeyId)!.Algorithm.Should().Be("ES256");
    }

    [Fact]
    public void Parse_UnusableKeys_AreSkippedNotFatal()
    {
        using var small = RSA.Create(1024);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var smallParams = small.ExportParameters(false);
        var p384Params = p384.ExportParameters(false);
        var ec = _tokens.EcJwk();
        var badPoint = (JsonObject)ec.DeepClone();
        badPoint["kid"] = "bad-point";
        var y = TestTokens.FromB64(ec["y"]!.GetValue<string>());
        y[^1] ^= 1;
        badPoint["y"] = TestTokens.B64(y);

        JsonObject Rsa(Action<JsonObject> change)
        {
            var k = (JsonObject)_tokens.RsaJwk().DeepClone();
            k["kid"] = Guid.NewGuid().ToString();
            change(k);
            return k;
        }

        var set = JsonWebKeySet.Parse(Jwks(
            _tokens.RsaJwk(),
            new JsonObject { ["kty"] = "oct", ["kid"] = "hmac", ["k"] = "c2VjcmV0", ["alg"] = "HS256" },
            Rsa(k => k["alg"] = "PS256"),
            Rsa(k => k["alg"] = "HS256"),
            Rsa(k => k["use"] = "enc"),
            Rsa(k => k["key_ops"] = new JsonArray("encrypt")),
            Rsa(k => k.Remove("kid")),
            Rsa(k => k["kid"] = 5),
            Rsa(k => k.Remove("e")),
            Rsa(k => k["n"] = "not base64!"),
            Rsa(k => { k["n"] = TestTokens.B64(smallParams.Modulus!); k["e"] = TestTokens.B64(smallParams.Exponent!); }),
            new JsonObject { ["kty"] = "EC", ["kid"] = "p384", ["crv"] = "P-384", ["x"] = TestTokens.B64(p384Params.Q.X!), ["y"] = TestTokens.B64(p384Params.Q.Y!) },
            new JsonObject { ["kty"] = "EC", ["kid"] = "es384", ["crv"] = "P-256", ["alg"] = "ES384", ["x"] = ec["x"]!.GetValue<string>(), ["y"] = ec["y"]!.GetValue<string>() },
            badPoint,
            "a string",
            42,
            null));

        set.Keys.Select(k => k.KeyId).Should().Equal(_tokens.RsaKeyId);
        set.SkippedKeys.Should().HaveCount(16);
    }

    [Fact]
    public void Parse_DuplicateKid_KeepsFirst()
    {
        using var other = new TestTokens(rsaKeyId: _tokens.RsaKeyId);

        var set = JsonWebKeySet.Parse(Jwks(_tokens.RsaJwk(), other.RsaJwk()));

        set.Keys.Should().ContainSingle();
        var validator = new JwtValidator(new JwtValidationParameters { Issuer = _tokens.Issuer, Audience = _tokens.Audience }, new StaticSigningKeySource(set));
        validator.Validate(_tokens.Issue(), _tokens.Now).Succeeded.Should().BeTrue();
        validator.Validate(other.Issue(), _tokens.Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"keys\":{}}")]
    [InlineData("{\"keys\":[],\"keys\":[]}")]
    public void Parse_NotAJwksDocument_ThrowsFormatException(string json)
    {
        var act = () => JsonWebKeySet.Parse(json);

        act.Should().Throw<FormatException>();
        JsonWebKeySet.TryParse(json, out var set).Should().BeFalse();
        set.Keys.Should().BeEmpty();
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        var set = JsonWebKeySet.Parse(_tokens.JwksJson);

        var again = JsonWebKeySet.Parse(set.ToJson());

        again.Keys.Select(k => (k.KeyId, k.Algorithm)).Should().Equal(set.Keys.Select(k => (k.KeyId, k.Algorithm)));
        AuthTestSupport.Validator(_tokens, jwks: set.ToJson()).Validate(_tokens.IssueEs256(), _tokens.Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void FromRsaAndFromECDsa_BuildVerifyingKeys()
    {
        var set = new JsonWebKeySet([JsonWebKey.FromRsa(_tokens.Rsa, _tokens.RsaKeyId), JsonWebKey.FromECDsa(_tokens.Ec, _tokens.EcKeyId)]);
        var validator = new JwtValidator(new JwtValidationParameters { Issuer = _tokens.Issuer, Audience = _tokens.Audience }, new StaticSigningKeySource(set));

        validator.Validate(_tokens.Issue(), _tokens.Now).Succeeded.Should().BeTrue();
        validator.Validate(_tokens.IssueEs256(), _tokens.Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void FromRsa_SmallKey_Throws()
    {
        using var small = RSA.Create(1024);

        var act = () => JsonWebKey.FromRsa(small, "small");

        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void StaticSigningKeySource_Update_SwapsKeys()
    {
        using var next = new TestTokens();
        var source = new StaticSigningKeySource(JsonWebKeySet.Parse(_tokens.JwksJson));
        var validator = new JwtValidator(new JwtValidationParameters { Issuer = _tokens.Issuer, Audience = _tokens.Audience }, source);

        source.Update(JsonWebKeySet.Parse(next.JwksJson));

        validator.Validate(next.Issue(), _tokens.Now).Succeeded.Should().BeTrue();
        validator.Validate(_tokens.Issue(), _tokens.Now).Failure.Should().Be(TokenFailureReason.UnknownKey);
    }
}
