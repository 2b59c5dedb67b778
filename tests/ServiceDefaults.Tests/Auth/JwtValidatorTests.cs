using System.Security.Claims;
using System.Text.Json.Nodes;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class JwtValidatorTests : IDisposable
{
    private readonly TestTokens _tokens = new();
    private readonly JwtValidator _validator;

    public JwtValidatorTests() => _validator = AuthTestSupport.Validator(_tokens);

    private DateTimeOffset Now => _tokens.Now;

    private long NowSeconds => _tokens.Now.ToUnixTimeSeconds();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Validate_ValidRs256Token_SucceedsWithClaimsMapped()
    {
        var userId = Guid.NewGuid();
        var token = _tokens.Issue(
            c =>
            {
                c["district"] = "Altstadt";
                c["client_id"] = "mitreden-web";
                c["jti"] = "token-1";
                c["verification"] = "resident";
                c["name"] = "Anna Beispiel";
            },
            userId: userId,
            roles: ["citizen", "moderator"]);

        var outcome = _validator.Validate(token, Now);

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        outcome.Failure.Should().Be(TokenFailureReason.None);
        var user = outcome.Principal!;
        var identity = user.Identity.Should().BeOfType<ClaimsIdentity>().Subject;
        identity.AuthenticationType.Should().Be("Bearer");
        identity.IsAuthenticated.Should().BeTrue();
        identity.NameClaimType.Should().Be("name");
        identity.RoleClaimType.Should().Be(ClaimTypes.Role);
        user.FindFirst(ClaimTypes.NameIdentifier)!.Value.Should().Be(userId.ToString());
        user.FindFirst("sub")!.Value.Should().Be(userId.ToString());
        user.Identity!.Name.Should().Be("Anna Beispiel");
        user.IsInRole("citizen").Should().BeTrue();
        user.IsInRole("moderator").Should().BeTrue();
        user.IsInRole("admin").Should().BeFalse();
        user.FindAll(ClaimTypes.Role).Select(c => c.Value).Should().BeEquivalentTo("citizen", "moderator");
        user.FindFirst("verification")!.Value.Should().Be("resident");
        user.FindFirst("district")!.Value.Should().Be("Altstadt");
        user.FindFirst("client_id")!.Value.Should().Be("mitreden-web");
        user.FindFirst("jti")!.Value.Should().Be("token-1");
        user.FindFirst("sub")!.Issuer.Should().Be(_tokens.Issuer);
        outcome.ExpiresAt.Should().Be(DateTimeOffset.FromUnixTimeSeconds(NowSeconds + 600));
    }

    [Fact]
    public void Validate_VotingCodeAndBlockClaims_AreKept()
    {
        var group = Guid.NewGuid().ToString();
        var until = NowSeconds + 3600;
        var token = _tokens.Issue(c =>
        {
            c["voting_group"] = group;
            c["blocked_until"] = until;
        }, roles: ["code-voter"]);

        var outcome = _validator.Validate(token, Now);

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        outcome.Principal!.VotingGroup().Should().Be(group);
        outcome.Principal!.BlockedUntil(Now).Should().Be(DateTimeOffset.FromUnixTimeSeconds(until));
        outcome.Principal!.BlockedUntil(Now.AddHours(2)).Should().BeNull("a block that has ended no longer counts");
        outcome.Principal!.IssuedAt().Should().NotBeNull().And.BeOnOrBefore(Now.AddSeconds(1));
    }

    [Fact]
    public void Validate_BlockedUntilNotANumber_Fails()
    {
        var token = _tokens.Issue(c => c["blocked_until"] = "tomorrow");

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.InvalidClaim);
    }

    [Fact]
    public void Validate_ValidEs256Token_Succeeds()
    {
        var outcome = _validator.Validate(_tokens.IssueEs256(), Now);

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        outcome.Principal!.IsInRole("citizen").Should().BeTrue();
    }

    [Fact]
    public void Validate_RolesAsSingleString_MapsOneRole()
    {
        var outcome = _validator.Validate(_tokens.Issue(c => c["roles"] = "staff"), Now);

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        outcome.Principal!.FindAll(ClaimTypes.Role).Select(c => c.Value).Should().Equal("staff");
    }

    [Fact]
    public void Validate_AtJwtTypeAndNoTyp_Succeed()
    {
        _validator.Validate(_tokens.Issue(header: h => h["typ"] = "at+jwt"), Now).Succeeded.Should().BeTrue();
        _validator.Validate(_tokens.Issue(header: h => h.Remove("typ")), Now).Succeeded.Should().BeTrue();
    }

    [Theory]
    [InlineData("JWS")]
    [InlineData("application/json")]
    [InlineData("")]
    public void Validate_WrongTyp_FailsInvalidType(string typ)
    {
        var outcome = _validator.Validate(_tokens.Issue(header: h => h["typ"] = typ), Now);

        outcome.Failure.Should().Be(TokenFailureReason.InvalidType);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("None")]
    [InlineData("NONE")]
    [InlineData("nOnE")]
    public void Validate_AlgNone_FailsUnsupportedAlgorithm(string alg)
    {
        var header = new JsonObject { ["alg"] = alg, ["kid"] = _tokens.RsaKeyId, ["typ"] = "JWT" }.ToJsonString();
        var payload = _tokens.DefaultClaims(roles: "admin").ToJsonString();

        var unsigned = TestTokens.Unsigned(header, payload);
        var withRealSignature = _tokens.SignRs256(header, payload);

        foreach (var token in new[] { unsigned, withRealSignature })
        {
            var outcome = _validator.Validate(token, Now);
            outcome.Succeeded.Should().BeFalse();
            outcome.Failure.Should().BeOneOf(TokenFailureReason.UnsupportedAlgorithm, TokenFailureReason.Malformed);
        }

        _validator.Validate(withRealSignature, Now).Failure.Should().Be(TokenFailureReason.UnsupportedAlgorithm);
    }

    [Fact]
    public void Validate_Hs256SignedWithRsaPublicKey_FailsUnsupportedAlgorithm()
    {
        var payload = _tokens.DefaultClaims(roles: "admin").ToJsonString();
        var header = new JsonObject { ["alg"] = "HS256", ["kid"] = _tokens.RsaKeyId, ["typ"] = "JWT" }.ToJsonString();
        var secrets = new[]
        {
            _tokens.RsaPublicKeyPemBytes,
            _tokens.RsaPublicKeyDerBytes,
            TestTokens.FromB64(_tokens.RsaJwk()["n"]!.GetValue<string>()),
            System.Text.Encoding.UTF8.GetBytes(_tokens.RsaJwksJson),
        };

        foreach (var secret in secrets)
        {
            var outcome = _validator.Validate(TestTokens.SignHs256(header, payload, secret), Now);
            outcome.Failure.Should().Be(TokenFailureReason.UnsupportedAlgorithm);
        }
    }

    [Theory]
    [InlineData("HS384")]
    [InlineData("HS512")]
    [InlineData("RS384")]
    [InlineData("RS512")]
    [InlineData("PS256")]
    [InlineData("ES384")]
    [InlineData("rs256")]
    [InlineData("RS256 ")]
    public void Validate_OtherAlgorithms_FailUnsupportedAlgorithm(string alg)
    {
        var token = _tokens.Issue(header: h => h["alg"] = alg);

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.UnsupportedAlgorithm);
    }

    [Fact]
    public void Validate_AlgNotAString_FailsUnsupportedAlgorithm()
    {
        _validator.Validate(_tokens.Issue(header: h => h["alg"] = 256), Now).Failure.Should().Be(TokenFailureReason.UnsupportedAlgorithm);
        _validator.Validate(_tokens.Issue(header: h => h["alg"] = new JsonArray("RS256")), Now).Failure.Should().Be(TokenFailureReason.UnsupportedAlgorithm);
        _validator.Validate(_tokens.Issue(header: h => h.Remove("alg")), Now).Failure.Should().Be(TokenFailureReason.UnsupportedAlgorithm);
    }

    [Fact]
    public void Validate_Rs256TokenWithKidOfEs256Key_FailsAlgorithmMismatch()
    {
        // Signed with the RSA key, but claims the EC key: the EC key is pinned to ES256.
        var token = _tokens.Issue(header: h => h["kid"] = _tokens.EcKeyId);

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.AlgorithmMismatch);
    }

    [Fact]
    public void Validate_Es256TokenWithKidOfRsaKey_FailsAlgorithmMismatch()
    {
        var token = _tokens.IssueEs256(header: h => h["kid"] = _tokens.RsaKeyId);

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.AlgorithmMismatch);
    }

    [Fact]
    public void Validate_Es256TokenWithKidOfRsaKeyWithoutAlg_FailsAlgorithmMismatch()
    {
        var jwks = new JsonObject { ["keys"] = new JsonArray(_tokens.RsaJwk(includeAlg: false), _tokens.EcJwk(includeAlg: false)) }.ToJsonString();
        var validator = AuthTestSupport.Validator(_tokens, jwks: jwks);

        validator.Validate(_tokens.IssueEs256(header: h => h["kid"] = _tokens.RsaKeyId), Now).Failure.Should().Be(TokenFailureReason.AlgorithmMismatch);
        validator.Validate(_tokens.Issue(), Now).Succeeded.Should().BeTrue();
        validator.Validate(_tokens.IssueEs256(), Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_TamperedPayload_FailsInvalidSignature()
    {
        var token = _tokens.Issue();
        var parts = token.Split('.');
        var claims = JsonNode.Parse(TestTokens.FromB64(parts[1]))!.AsObject();
        claims["roles"] = new JsonArray("admin");
        var tampered = $"{parts[0]}.{TestTokens.B64(claims.ToJsonString())}.{parts[2]}";

        _validator.Validate(tampered, Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
    }

    [Fact]
    public void Validate_TamperedHeader_FailsInvalidSignature()
    {
        var token = _tokens.Issue();
        var parts = token.Split('.');
        var header = _tokens.RsaHeader();
        header["typ"] = "at+jwt";
        var tampered = $"{TestTokens.B64(header.ToJsonString())}.{parts[1]}.{parts[2]}";

        _validator.Validate(tampered, Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
    }

    [Fact]
    public void Validate_TamperedSignature_FailsInvalidSignature()
    {
        foreach (var token in new[] { _tokens.Issue(), _tokens.IssueEs256() })
        {
            var parts = token.Split('.');
            var signature = TestTokens.FromB64(parts[2]);
            for (int i = 0; i < signature.Length; i += 7)
            {
                var copy = (byte[])signature.Clone();
                copy[i] ^= 0x01;
                var tampered = $"{parts[0]}.{parts[1]}.{TestTokens.B64(copy)}";
                _validator.Validate(tampered, Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
            }

            // Truncated and extended signatures.
            _validator.Validate($"{parts[0]}.{parts[1]}.{TestTokens.B64(signature[..^1])}", Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
            _validator.Validate($"{parts[0]}.{parts[1]}.{TestTokens.B64([.. signature, 0])}", Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
        }
    }

    [Fact]
    public void Validate_NonCanonicalBase64Signature_FailsMalformed()
    {
        var token = _tokens.IssueEs256(); // 64-byte signature → 86 chars, last char carries 4 unused bits
        var parts = token.Split('.');
        var last = parts[2][^1];
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var sibling = alphabet[alphabet.IndexOf(last, StringComparison.Ordinal) + 1];
        var variant = $"{parts[0]}.{parts[1]}.{parts[2][..^1]}{sibling}";

        _validator.Validate(variant, Now).Failure.Should().Be(TokenFailureReason.Malformed);
    }

    [Fact]
    public void Validate_SignatureOfAnotherKey_FailsInvalidSignature()
    {
        using var other = new TestTokens(rsaKeyId: _tokens.RsaKeyId);

        _validator.Validate(other.Issue(), Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
    }

    [Fact]
    public void Validate_Expired_FailsExpired()
    {
        var token = _tokens.Issue(c => c["exp"] = NowSeconds - 31);

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.Expired);
    }

    [Fact]
    public void Validate_ExpiredAtExactlySkew_FailsExpired()
    {
        var token = _tokens.Issue(c => c["exp"] = NowSeconds - 30);

        _validator.Validate(token, DateTimeOffset.FromUnixTimeSeconds(NowSeconds)).Failure.Should().Be(TokenFailureReason.Expired);
    }

    [Fact]
    public void Validate_ExpiredWithinSkew_Succeeds()
    {
        var token = _tokens.Issue(c => c["exp"] = NowSeconds - 20);

        _validator.Validate(token, Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_LaterClock_FailsExpired()
    {
        var token = _tokens.Issue();

        _validator.Validate(token, Now.AddMinutes(10).AddSeconds(31)).Failure.Should().Be(TokenFailureReason.Expired);
    }

    [Fact]
    public void Validate_NotYetValid_FailsNotYetValid()
    {
        var token = _tokens.Issue(c => c["nbf"] = NowSeconds + 60);

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.NotYetValid);
    }

    [Fact]
    public void Validate_NbfWithinSkew_Succeeds()
    {
        var token = _tokens.Issue(c => c["nbf"] = NowSeconds + 20);

        _validator.Validate(token, Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_NoNbf_Succeeds()
    {
        _validator.Validate(_tokens.Issue(c => c.Remove("nbf")), Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_MissingExp_FailsMissingExpiration()
    {
        _validator.Validate(_tokens.Issue(c => c.Remove("exp")), Now).Failure.Should().Be(TokenFailureReason.MissingExpiration);
    }

    [Theory]
    [InlineData("http://127.0.0.1:18080/api/identity/")]
    [InlineData("HTTP://127.0.0.1:18080/api/identity")]
    [InlineData("http://evil.example/api/identity")]
    [InlineData("")]
    public void Validate_WrongIssuer_FailsInvalidIssuer(string issuer)
    {
        _validator.Validate(_tokens.Issue(c => c["iss"] = issuer), Now).Failure.Should().Be(TokenFailureReason.InvalidIssuer);
    }

    [Fact]
    public void Validate_MissingOrNonStringIssuer_FailsInvalidIssuer()
    {
        _validator.Validate(_tokens.Issue(c => c.Remove("iss")), Now).Failure.Should().Be(TokenFailureReason.InvalidIssuer);
        _validator.Validate(_tokens.Issue(c => c["iss"] = new JsonArray(_tokens.Issuer)), Now).Failure.Should().Be(TokenFailureReason.InvalidIssuer);
    }

    [Fact]
    public void Validate_WrongAudience_FailsInvalidAudience()
    {
        _validator.Validate(_tokens.Issue(c => c["aud"] = new JsonArray("mitreden-other")), Now).Failure.Should().Be(TokenFailureReason.InvalidAudience);
        _validator.Validate(_tokens.Issue(c => c["aud"] = "mitreden-other"), Now).Failure.Should().Be(TokenFailureReason.InvalidAudience);
        _validator.Validate(_tokens.Issue(c => c["aud"] = "MITREDEN-TEST"), Now).Failure.Should().Be(TokenFailureReason.InvalidAudience);
        _validator.Validate(_tokens.Issue(c => c.Remove("aud")), Now).Failure.Should().Be(TokenFailureReason.InvalidAudience);
        _validator.Validate(_tokens.Issue(c => c["aud"] = new JsonArray()), Now).Failure.Should().Be(TokenFailureReason.InvalidAudience);
    }

    [Fact]
    public void Validate_AudienceArrayContainingOurs_Succeeds()
    {
        var token = _tokens.Issue(c => c["aud"] = new JsonArray("mitreden-gateway", _tokens.Audience, "mitreden-voting"));

        _validator.Validate(token, Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_AudienceAsString_Succeeds()
    {
        _validator.Validate(_tokens.Issue(c => c["aud"] = _tokens.Audience), Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_AudienceArrayWithNonString_FailsInvalidAudience()
    {
        var token = _tokens.Issue(c => c["aud"] = new JsonArray(_tokens.Audience, 42));

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.InvalidAudience);
    }

    [Fact]
    public void Validate_UnknownKid_FailsUnknownKey()
    {
        _validator.Validate(_tokens.Issue(header: h => h["kid"] = "no-such-key"), Now).Failure.Should().Be(TokenFailureReason.UnknownKey);
    }

    [Fact]
    public void Validate_MissingOrNonStringKid_FailsMissingKeyId()
    {
        _validator.Validate(_tokens.Issue(header: h => h.Remove("kid")), Now).Failure.Should().Be(TokenFailureReason.MissingKeyId);
        _validator.Validate(_tokens.Issue(header: h => h["kid"] = ""), Now).Failure.Should().Be(TokenFailureReason.MissingKeyId);
        _validator.Validate(_tokens.Issue(header: h => h["kid"] = 1), Now).Failure.Should().Be(TokenFailureReason.MissingKeyId);
    }

    [Fact]
    public void Validate_CritHeader_FailsUnsupportedHeader()
    {
        var token = _tokens.Issue(header: h => { h["crit"] = new JsonArray("exp"); h["exp"] = 1; });

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.UnsupportedHeader);
    }

    [Fact]
    public void Validate_EmbeddedJwkOrJkuHeader_IsIgnoredAndKeyComesFromSource()
    {
        // An attacker's own key in the header must not be used.
        using var attacker = new TestTokens(rsaKeyId: _tokens.RsaKeyId);
        var token = attacker.Issue(header: h =>
        {
            h["jwk"] = attacker.RsaJwk();
            h["jku"] = "http://evil.example/jwks.json";
        });

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.InvalidSignature);
    }

    [Theory]
    [InlineData("exp", "\"9999999999\"")]
    [InlineData("exp", "null")]
    [InlineData("exp", "true")]
    [InlineData("nbf", "\"0\"")]
    [InlineData("iat", "\"now\"")]
    [InlineData("sub", "42")]
    [InlineData("sub", "\"\"")]
    [InlineData("roles", "42")]
    [InlineData("roles", "[\"citizen\", 1]")]
    [InlineData("roles", "{\"admin\": true}")]
    [InlineData("name", "[\"a\"]")]
    [InlineData("district", "1")]
    [InlineData("verification", "{}")]
    [InlineData("client_id", "false")]
    [InlineData("jti", "1.5")]
    public void Validate_ClaimWithWrongType_Fails(string claim, string json)
    {
        var token = _tokens.Issue(c => c[claim] = JsonNode.Parse(json));

        var outcome = _validator.Validate(token, Now);

        outcome.Succeeded.Should().BeFalse();
        outcome.Failure.Should().BeOneOf(TokenFailureReason.InvalidClaim, TokenFailureReason.MissingExpiration);
    }

    [Fact]
    public void Validate_NullOptionalClaims_AreTreatedAsAbsent()
    {
        var token = _tokens.Issue(c => { c["district"] = null; c["client_id"] = null; });

        var outcome = _validator.Validate(token, Now);

        outcome.Succeeded.Should().BeTrue(outcome.ToString());
        outcome.Principal!.FindFirst("district").Should().BeNull();
    }

    [Fact]
    public void Validate_FractionalNumericDates_Accepted()
    {
        var token = _tokens.Issue(c => { c["exp"] = NowSeconds + 60.5; c["nbf"] = NowSeconds - 0.25; });

        _validator.Validate(token, Now).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_HugeExp_DoesNotThrow()
    {
        var token = _tokens.Issue(c => c["exp"] = 1e300);

        var outcome = _validator.Validate(token, Now);

        outcome.Succeeded.Should().BeTrue();
        outcome.ExpiresAt.Should().Be(DateTimeOffset.MaxValue);
    }

    [Fact]
    public void Validate_DuplicateClaimInSignedPayload_FailsMalformed()
    {
        var payload = _tokens.DefaultClaims().ToJsonString();
        payload = payload.Insert(payload.Length - 1, ",\"roles\":[\"admin\"]");
        var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), payload);

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.Malformed);
    }

    [Fact]
    public void Validate_DuplicateAlgInHeader_FailsMalformed()
    {
        var header = $"{{\"alg\":\"none\",\"alg\":\"RS256\",\"kid\":\"{_tokens.RsaKeyId}\"}}";
        var token = _tokens.SignRs256(header, _tokens.DefaultClaims().ToJsonString());

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.Malformed);
    }

    public static TheoryData<string, TokenFailureReason> MalformedTokens()
    {
        var header = TestTokens.B64("{\"alg\":\"RS256\",\"kid\":\"k\"}");
        var payload = TestTokens.B64("{}");
        return new TheoryData<string, TokenFailureReason>
        {
            { string.Empty, TokenFailureReason.Malformed },
            { " ", TokenFailureReason.Malformed },
            { "abc", TokenFailureReason.Malformed },
            { "a.b", TokenFailureReason.Malformed },
            { "a.b.c.d", TokenFailureReason.Malformed },
            { $"{header}.{payload}.c2ln.ZXh0cmE", TokenFailureReason.Malformed },
            { "..", TokenFailureReason.Malformed },
            { $"{header}..c2ln", TokenFailureReason.Malformed },
            { $".{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{header}.{payload}.", TokenFailureReason.Malformed },
            { "@@@.###.$$$", TokenFailureReason.Malformed },
            { $"{header}=.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{header}.{payload}.c2ln=", TokenFailureReason.Malformed },
            { $"{header}.{payload}.c2+n", TokenFailureReason.Malformed },
            { $"{header}.{payload}.c2/n", TokenFailureReason.Malformed },
            { $"{header}.{payload}.c 2ln", TokenFailureReason.Malformed },
            { $"{header}.{payload}.A", TokenFailureReason.Malformed },
            { $"{header}.{payload}.\u00e9\u00e9\u00e9\u00e9", TokenFailureReason.Malformed },
            { $"{TestTokens.B64("not json")}.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{TestTokens.B64("[\"RS256\"]")}.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{TestTokens.B64("\"RS256\"")}.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{TestTokens.B64("{\"alg\":\"RS256\",}")}.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{TestTokens.B64("{\"alg\":\"RS256\"} //")}.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{TestTokens.B64(new byte[] { 0xff, 0xfe, 0x7b, 0x7d })}.{payload}.c2ln", TokenFailureReason.Malformed },
            { $"{TestTokens.B64(new string('[', 100) + new string(']', 100))}.{payload}.c2ln", TokenFailureReason.Malformed },
            { new string('A', 20 * 1024), TokenFailureReason.TooLarge },
            { $"{header}.{new string('A', 20 * 1024)}.c2ln", TokenFailureReason.TooLarge },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedTokens))]
    public void Validate_MalformedInput_FailsWithoutThrowing(string token, TokenFailureReason expected)
    {
        var outcome = _validator.Validate(token, Now);

        outcome.Succeeded.Should().BeFalse();
        outcome.Failure.Should().Be(expected);
        outcome.Principal.Should().BeNull();
    }

    [Fact]
    public void Validate_NullToken_FailsMalformed()
    {
        _validator.Validate(null!, Now).Failure.Should().Be(TokenFailureReason.Malformed);
    }

    [Fact]
    public void Validate_SignedJsonArrayPayload_FailsMalformed()
    {
        var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), "[{\"iss\":\"x\"}]");

        _validator.Validate(token, Now).Failure.Should().Be(TokenFailureReason.Malformed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("42")]
    [InlineData("\"text\"")]
    [InlineData("not json at all")]
    [InlineData("{\"iss\":")]
    public void Validate_SignedNonObjectPayload_FailsMalformed(string payload)
    {
        var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), payload);

        var outcome = _validator.Validate(token, Now);

        outcome.Failure.Should().Be(TokenFailureReason.Malformed);
    }

    [Fact]
    public void Validate_TokenOfExactly8KB_IsNotRefusedForSize()
    {
        var token = _tokens.Issue(c => c["pad"] = "");
        var padding = 8 * 1024 - token.Length;
        // Grow the payload until the token is just under the limit, then check both sides of it.
        var grown = _tokens.Issue(c => c["pad"] = new string('x', padding * 3 / 4 - 4));
        grown.Length.Should().BeLessThanOrEqualTo(8 * 1024);

        _validator.Validate(grown, Now).Succeeded.Should().BeTrue();
        _validator.Validate(grown + new string('A', 8 * 1024 - grown.Length + 1), Now).Failure.Should().Be(TokenFailureReason.TooLarge);
    }

    [Fact]
    public async Task ValidateAsync_ValidToken_Succeeds()
    {
        var outcome = await _validator.ValidateAsync(_tokens.Issue(), Now);

        outcome.Succeeded.Should().BeTrue();
    }

    [Fact]
    public async Task ValidateAsync_UnknownKid_FailsUnknownKey()
    {
        var outcome = await _validator.ValidateAsync(_tokens.Issue(header: h => h["kid"] = "nope"), Now);

        outcome.Failure.Should().Be(TokenFailureReason.UnknownKey);
    }
}
