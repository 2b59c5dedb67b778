using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Mitreden.TestKit;
using Xunit;

namespace Mitreden.EndToEnd.Tests;

/// <summary>
/// Every service validates tokens itself, not only the gateway: hostile variants of a real token, sent straight
/// to each service's own port, are refused with 401 while the untouched token is accepted.
/// </summary>
public sealed class TokenAttackTests
{
    public static TheoryData<string, string, string> Attacks()
    {
        var data = new TheoryData<string, string, string>();
        var protectedEndpoints = new (string Service, string Path)[]
        {
            ("identity", "/account/me"),
            ("proposals", "/processes/00000000-0000-0000-0000-000000000001/items/import"),
            ("comments", "/me/comments"),
            ("voting", "/ballots/00000000-0000-0000-0000-000000000001/votes/me"),
            ("moderation", "/queue"),
        };
        foreach (var (service, path) in protectedEndpoints)
        {
            foreach (var attack in new[] { "none", "alg-none", "hs256-with-public-key", "tampered-payload", "tampered-signature", "foreign-key-same-kid", "garbage" })
            {
                data.Add(service, path, attack);
            }
        }
        return data;
    }

    private static string ServiceUrl(string service) =>
        Environment.GetEnvironmentVariable($"MITREDEN_SERVICE_URL_{service.ToUpperInvariant()}")
        ?? throw new InvalidOperationException("Service URLs are exported by ./mitreden test.");

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    private static byte[] FromB64(string text) => Convert.FromBase64String(text.Replace('-', '+').Replace('_', '/').PadRight(text.Length + (4 - text.Length % 4) % 4, '='));

    private static async Task<string> ForgeAsync(string attack, string realToken)
    {
        var parts = realToken.Split('.');
        var header = JsonNode.Parse(FromB64(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(FromB64(parts[1]))!.AsObject();
        switch (attack)
        {
            case "none":
                return realToken;
            case "alg-none":
                header["alg"] = "none";
                return B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + parts[1] + ".";
            case "hs256-with-public-key":
            {
                using var http = StackClient.Client();
                var jwks = JsonDocument.Parse(await http.GetStringAsync("/api/identity/.well-known/jwks.json")).RootElement;
                var key = jwks.GetProperty("keys").EnumerateArray().First(k => k.GetProperty("kid").GetString() == header["kid"]!.GetValue<string>());
                header["alg"] = "HS256";
                var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + parts[1];
                var secret = Encoding.UTF8.GetBytes(key.GetRawText());
                return input + "." + B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(input)));
            }
            case "tampered-payload":
                payload["roles"] = new JsonArray("admin");
                return parts[0] + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString())) + "." + parts[2];
            case "tampered-signature":
            {
                var signature = FromB64(parts[2]);
                signature[^1] ^= 0x01;
                return parts[0] + "." + parts[1] + "." + B64(signature);
            }
            case "foreign-key-same-kid":
            {
                using var rsa = RSA.Create(2048);
                payload["roles"] = new JsonArray("admin");
                var input = parts[0] + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
                return input + "." + B64(rsa.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            }
            default:
                return "garbage.garbage.garbage";
        }
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Service_HostileToken_Is401_RealTokenIsNot(string service, string path, string attack)
    {
        var (_, _, realToken) = await Arrange.NewCitizenAsync();
        var token = await ForgeAsync(attack, realToken);
        using var client = new HttpClient { BaseAddress = new Uri(ServiceUrl(service)) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var request = new HttpRequestMessage(path.EndsWith("/import", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
        var response = await client.SendAsync(request);

        if (attack == "none")
        {
            response.StatusCode.Should().NotBe(HttpStatusCode.Unauthorized, "the untouched token of a signed-in citizen is valid at {0}", service);
        }
        else
        {
            response.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "{0} must validate the token itself", service);
            response.Headers.WwwAuthenticate.ToString().Should().StartWith("Bearer");
        }
    }
}
