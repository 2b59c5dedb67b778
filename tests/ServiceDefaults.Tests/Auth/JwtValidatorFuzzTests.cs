using System.Text;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class JwtValidatorFuzzTests : IDisposable
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9\0";
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public async Task Validate_RandomMutationsOfValidTokens_AlwaysFailWithoutThrowing()
    {
        var random = new Random(20261121);
        var cache = new ValidatedTokenCache();
        var validator = AuthTestSupport.Validator(_tokens, cache);
        var originals = new[] { _tokens.Issue(), _tokens.IssueEs256() };
        foreach (var original in originals)
        {
            validator.Validate(original, _tokens.Now).Succeeded.Should().BeTrue();
        }

        int checkedCount = 0;
        for (int i = 0; i < 4000; i++)
        {
            var original = originals[i % originals.Length];
            var mutated = Mutate(original, random);
            if (mutated == original)
            {
                continue;
            }

            var outcome = validator.Validate(mutated, _tokens.Now);
            outcome.Succeeded.Should().BeFalse($"mutation #{i} '{mutated}' must not validate");
            outcome.Principal.Should().BeNull();
            (await validator.ValidateAsync(mutated, _tokens.Now)).Succeeded.Should().BeFalse();
            checkedCount++;
        }

        checkedCount.Should().BeGreaterThan(3500);
    }

    [Fact]
    public void Validate_RandomGarbage_FailsWithoutThrowing()
    {
        var random = new Random(7);
        var validator = AuthTestSupport.Validator(_tokens);
        for (int i = 0; i < 3000; i++)
        {
            var length = random.Next(0, i % 100 == 0 ? 12_000 : 300);
            var chars = new char[length];
            for (int j = 0; j < length; j++)
            {
                chars[j] = i % 3 == 0 ? (char)random.Next(0, 0x3000) : Alphabet[random.Next(Alphabet.Length)];
            }

            validator.Validate(new string(chars), _tokens.Now).Succeeded.Should().BeFalse();
        }
    }

    [Fact]
    public void Validate_SignedRandomHeadersAndPayloads_FailWithoutThrowing()
    {
        // Correctly signed garbage: the parser behind the signature check must be just as robust.
        var random = new Random(11);
        var validator = AuthTestSupport.Validator(_tokens);
        var fragments = new[]
        {
            "{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0", "\"exp\"", "\"aud\"", "\"roles\"", "\"sub\"",
            "\"iss\"", "\"nbf\"", "\\u0000", "\\ud800", "1.7976931348623157E+309", "99999999999999999999999", " ", "\n",
        };
        for (int i = 0; i < 1500; i++)
        {
            var payload = new StringBuilder("{");
            int count = random.Next(0, 12);
            for (int j = 0; j < count; j++)
            {
                payload.Append(fragments[random.Next(fragments.Length)]);
            }

            if (random.Next(2) == 0)
            {
                payload.Append('}');
            }

            var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), payload.ToString());
            validator.Validate(token, _tokens.Now).Succeeded.Should().BeFalse();

            var header = "{\"alg\":\"RS256\",\"kid\":\"" + _tokens.RsaKeyId + "\"" + payload.ToString()[1..];
            validator.Validate(_tokens.SignRs256(header, _tokens.DefaultClaims().ToJsonString()), _tokens.Now);
        }
    }

    [Fact]
    public void Validate_SignedPayloadWithExtremeNumbers_DoesNotThrow()
    {
        var validator = AuthTestSupport.Validator(_tokens);
        foreach (var exp in new[] { "1e308", "-1e308", "1.7976931348623157E+308", "0", "-1", "9223372036854775807", "9223372036854775808", "1e-320" })
        {
            var payload = _tokens.DefaultClaims().ToJsonString().Replace(
                $"\"exp\":{_tokens.Now.ToUnixTimeSeconds() + 600}", $"\"exp\":{exp}", StringComparison.Ordinal);
            var token = _tokens.SignRs256(_tokens.RsaHeader().ToJsonString(), payload);

            var act = () => validator.Validate(token, _tokens.Now);

            act.Should().NotThrow();
        }
    }

    private static string Mutate(string token, Random random)
    {
        var chars = token.ToCharArray().ToList();
        int rounds = random.Next(1, 4);
        for (int r = 0; r < rounds && chars.Count > 0; r++)
        {
            int position = random.Next(chars.Count);
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
