using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Mitreden.ServiceDefaults.Auth;
using Mitreden.TestKit;

namespace Mitreden.ServiceDefaults.Tests.Auth;

/// <summary>
/// Hostile input to the validation every component runs (the bearer scheme's own parameters and keys): it never
/// throws, and no altered token passes with claims other than the original's.
/// </summary>
public sealed class TokenFuzzTests : IAsyncLifetime
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9\0";
    private readonly TestTokens _tokens = new();
    private BearerTestHost _host = null!;
    private JwtBearerOptions _bearer = null!;

    public async Task InitializeAsync()
    {
        _host = await BearerTestHost.StartAsync(_tokens, _tokens.JwksJson);
        _bearer = _host.Bearer;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _tokens.Dispose();
    }

    private static string Claims(Microsoft.IdentityModel.Tokens.TokenValidationResult result) =>
        string.Join('\n', result.ClaimsIdentity.Claims.Select(c => c.Type + "=" + c.Value).Order(StringComparer.Ordinal));

    [Fact]
    public async Task Validate_RandomMutationsOfValidTokens_NeverPassWithOtherClaims()
    {
        var random = new Random(20261121);
        var originals = new[] { _tokens.Issue(), _tokens.IssueEs256() };
        var claims = new List<string>();
        foreach (var original in originals)
        {
            var result = await _bearer.ValidateBearerTokenAsync(original);
            result.IsValid.Should().BeTrue();
            claims.Add(Claims(result));
        }

        var refused = 0;
        for (var i = 0; i < 2000; i++)
        {
            var original = originals[i % originals.Length];
            var mutated = Mutate(original, random);
            if (mutated == original)
            {
                continue;
            }

            var result = await _bearer.ValidateBearerTokenAsync(mutated);
            if (result.IsValid)
            {
                // Only a different spelling of the same bytes (e.g. unused bits of the last base64url character) may pass.
                Claims(result).Should().Be(claims[i % originals.Length], $"mutation #{i} '{mutated}' passed");
            }
            else
            {
                refused++;
            }
        }

        refused.Should().BeGreaterThan(1800);
    }

    [Fact]
    public async Task Validate_RandomGarbage_FailsWithoutThrowing()
    {
        var random = new Random(7);
        for (var i = 0; i < 1500; i++)
        {
            var length = random.Next(0, i % 100 == 0 ? 12_000 : 300);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = i % 3 == 0 ? (char)random.Next(0, 0x3000) : Alphabet[random.Next(Alphabet.Length)];
            }

            (await _bearer.ValidateBearerTokenAsync(new string(chars))).IsValid.Should().BeFalse();
        }
    }

    [Fact]
    public async Task Validate_SignedRandomHeadersAndPayloads_FailWithoutThrowing()
    {
        // Correctly signed garbage: the parser behind the signature check must be just as robust.
        var random = new Random(11);
        var fragments = new[]
        {
            "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"exp\"", "\"aud\"", "\"roles\"", "\"sub\"",
            "\"iss\"", "\"nbf\"", "\\u0000", "\\ud800", "1.7976931348623157E+309", "99999999999999999999999", " ", "\n",
        };
        var wellFormedHeadersAccepted = 0;
        for (var i = 0; i < 1000; i++)
        {
            var payload = new StringBuilder("{");
            var count = random.Next(0, 12);
            for (var j = 0; j < count; j++)
            {
                payload.Append(fragments[random.Next(fragments.Length)]);
            }

            if (random.Next(2) == 0)
            {
                payload.Append('}');
            }

            var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), payload.ToString());
            (await _bearer.ValidateBearerTokenAsync(token)).IsValid.Should().BeFalse();

            // The same garbage in the header (signed with our key): whatever passes was read as RS256 with our key id.
            // IdentityModel stops reading after the header's object, so trailing bytes behind a plain header still pass.
            var header = "{\"alg\":\"RS256\",\"kid\":\"" + _tokens.RsaKeyId + "\"" + payload.ToString()[1..];
            var headerResult = await _bearer.ValidateBearerTokenAsync(_tokens.SignRs256(header, _tokens.DefaultClaims().ToJsonString()));
            if (headerResult.IsValid)
            {
                var read = (Microsoft.IdentityModel.JsonWebTokens.JsonWebToken)headerResult.SecurityToken;
                (read.Alg, read.Kid).Should().Be(("RS256", _tokens.RsaKeyId), header);
                wellFormedHeadersAccepted++;
            }
        }
        wellFormedHeadersAccepted.Should().BePositive("the fuzz also produces plain headers, and those must still pass");
    }

    [Fact]
    public async Task Validate_SignedPayloadWithExtremeNumbers_AnswersOkOrUnauthorizedNeverAServerError()
    {
        // These must be refused; far-future values may pass or be refused, but never end in a server error.
        var refused = new[] { "-1e308", "0", "-1", "1e-320", "null", "true" };
        foreach (var exp in refused.Concat(["1e308", "1.7976931348623157E+308", "9223372036854775807", "9223372036854775808", "\"9999999999\""]))
        {
            var payload = _tokens.DefaultClaims().ToJsonString().Replace(
                $"\"exp\":{_tokens.Now.ToUnixTimeSeconds() + 600}", $"\"exp\":{exp}", StringComparison.Ordinal);
            var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), payload);

            var result = await _bearer.ValidateBearerTokenAsync(token);

            if (refused.Contains(exp))
            {
                result.IsValid.Should().BeFalse(exp);
            }
            // Whatever the validator says reaches the caller as 200 or 401 — never as a server error.
            using var request = new HttpRequestMessage(HttpMethod.Get, "/me");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await _host.Client.SendAsync(request);
            response.StatusCode.Should().Be(result.IsValid ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.Unauthorized, exp);
        }
    }

    private static string Mutate(string token, Random random)
    {
        var chars = token.ToCharArray().ToList();
        var rounds = random.Next(1, 4);
        for (var r = 0; r < rounds && chars.Count > 0; r++)
        {
            var position = random.Next(chars.Count);
            switch (random.Next(8))
            {
                case 0:
                    chars[position] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1:
                    chars.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2:
                    chars.RemoveAt(position);
                    break;
                case 3:
                    chars.RemoveRange(position, chars.Count - position);
                    break;
                case 4:
                    (chars[position], chars[random.Next(chars.Count)]) = (chars[random.Next(chars.Count)], chars[position]);
                    break;
                case 5:
                    {
                        var parts = new string(chars.ToArray()).Split('.');
                        Array.Reverse(parts);
                        chars = string.Join('.', parts).ToList();
                        break;
                    }

                case 6:
                    chars.AddRange(".AAAA");
                    break;
                default:
                    chars[position] = (char)(chars[position] ^ (1 << random.Next(7)));
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
