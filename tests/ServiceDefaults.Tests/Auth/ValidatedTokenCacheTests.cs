using System.Security.Claims;
using Mitreden.ServiceDefaults.Auth;

namespace Mitreden.ServiceDefaults.Tests.Auth;

public sealed class ValidatedTokenCacheTests : IDisposable
{
    private readonly TestTokens _tokens = new();

    public void Dispose() => _tokens.Dispose();

    [Fact]
    public void Validate_SameTokenTwice_SecondComesFromCacheWithSameClaims()
    {
        var cache = new ValidatedTokenCache();
        var validator = AuthTestSupport.Validator(_tokens, cache);
        var token = _tokens.Issue(roles: "staff");

        var first = validator.Validate(token, _tokens.Now);
        var second = validator.Validate(token, _tokens.Now.AddSeconds(5));

        first.FromCache.Should().BeFalse();
        second.FromCache.Should().BeTrue();
        second.Succeeded.Should().BeTrue();
        second.Principal!.Claims.Select(c => (c.Type, c.Value)).Should().Equal(first.Principal!.Claims.Select(c => (c.Type, c.Value)));
        second.Principal.IsInRole("staff").Should().BeTrue();
        second.Principal.Identity!.AuthenticationType.Should().Be("Bearer");
        cache.Count.Should().Be(1);
    }

    [Fact]
    public void Validate_CachedPrincipal_IsANewInstanceEachTime()
    {
        var validator = AuthTestSupport.Validator(_tokens, new ValidatedTokenCache());
        var token = _tokens.Issue();
        var first = validator.Validate(token, _tokens.Now).Principal!;
        ((ClaimsIdentity)first.Identity!).AddClaim(new Claim(ClaimTypes.Role, "admin"));

        var second = validator.Validate(token, _tokens.Now).Principal!;

        second.Should().NotBeSameAs(first);
        second.IsInRole("admin").Should().BeFalse();
    }

    [Fact]
    public void Validate_Failures_AreNeverCached()
    {
        var cache = new ValidatedTokenCache();
        var validator = AuthTestSupport.Validator(_tokens, cache);
        var expired = _tokens.Issue(c => c["exp"] = _tokens.Now.ToUnixTimeSeconds() - 100);
        var badSignature = _tokens.Issue()[..^4] + "AAAA";

        validator.Validate(expired, _tokens.Now).Succeeded.Should().BeFalse();
        validator.Validate(badSignature, _tokens.Now).Succeeded.Should().BeFalse();
        validator.Validate(expired, _tokens.Now).FromCache.Should().BeFalse();

        cache.Count.Should().Be(0);
    }

    [Fact]
    public void Validate_AfterSixtySeconds_ValidatesAgain()
    {
        var validator = AuthTestSupport.Validator(_tokens, new ValidatedTokenCache());
        var token = _tokens.Issue();
        validator.Validate(token, _tokens.Now);

        validator.Validate(token, _tokens.Now.AddSeconds(59)).FromCache.Should().BeTrue();
        var later = validator.Validate(token, _tokens.Now.AddSeconds(61));

        later.Succeeded.Should().BeTrue();
        later.FromCache.Should().BeFalse();
    }

    [Fact]
    public void Validate_CachedTokenPastExp_IsNotServedFromCache()
    {
        var validator = AuthTestSupport.Validator(_tokens, new ValidatedTokenCache());
        var token = _tokens.Issue(c => c["exp"] = _tokens.Now.ToUnixTimeSeconds() + 10);
        validator.Validate(token, _tokens.Now).Succeeded.Should().BeTrue();

        var afterExp = validator.Validate(token, _tokens.Now.AddSeconds(11));
        var afterSkew = validator.Validate(token, _tokens.Now.AddSeconds(41));

        afterExp.FromCache.Should().BeFalse();
        afterExp.Succeeded.Should().BeTrue(); // still within the 30 s skew, validated again
        afterSkew.Failure.Should().Be(TokenFailureReason.Expired);
    }

    [Fact]
    public void Validate_ManyDistinctTokens_CacheStaysBounded()
    {
        var cache = new ValidatedTokenCache(maxEntries: 10);
        var validator = AuthTestSupport.Validator(_tokens, cache);

        for (int i = 0; i < 50; i++)
        {
            validator.Validate(_tokens.Issue(), _tokens.Now).Succeeded.Should().BeTrue();
            cache.Count.Should().BeLessThanOrEqualTo(10);
        }
    }

    [Fact]
    public void Validate_WithoutCache_NeverReportsFromCache()
    {
        var validator = AuthTestSupport.Validator(_tokens);
        var token = _tokens.Issue();

        validator.Validate(token, _tokens.Now);

        validator.Validate(token, _tokens.Now).FromCache.Should().BeFalse();
    }

    [Fact]
    public async Task Validate_ConcurrentUse_IsConsistent()
    {
        var cache = new ValidatedTokenCache(maxEntries: 64);
        var validator = AuthTestSupport.Validator(_tokens, cache);
        var tokens = Enumerable.Range(0, 32).Select(_ => _tokens.Issue()).Concat(Enumerable.Range(0, 8).Select(_ => _tokens.IssueEs256())).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            int ok = 0;
            for (int i = 0; i < 400; i++)
            {
                if (validator.Validate(tokens[(i * 7 + t) % tokens.Length], _tokens.Now).Succeeded)
                {
                    ok++;
                }
            }

            return ok;
        })));

        results.Should().AllSatisfy(r => r.Should().Be(400));
    }
}
