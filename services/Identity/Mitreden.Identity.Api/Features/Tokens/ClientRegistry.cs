using System.Security.Cryptography;
using System.Text;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>
/// Confidential clients from configuration (Identity:Clients:&lt;id&gt;:Secret) for client_credentials.
/// The first-party web client "mitreden-web" is public unless a secret is configured for it.
/// </summary>
public sealed class ClientRegistry
{
    public const string WebClientId = "mitreden-web";
    public const int MinSecretLength = 16;

    private readonly Dictionary<string, byte[]> _secretHashes = new(StringComparer.Ordinal);
    private readonly byte[] _decoy = SHA256.HashData(RandomNumberGenerator.GetBytes(32));

    public ClientRegistry(IConfiguration configuration)
    {
        foreach (var client in configuration.GetSection("Identity:Clients").GetChildren())
        {
            var secret = client["Secret"];
            if (string.IsNullOrEmpty(secret))
            {
                continue;
            }
            if (secret.Length < MinSecretLength)
            {
                throw new InvalidOperationException($"Identity:Clients:{client.Key}:Secret must have at least {MinSecretLength} characters.");
            }
            _secretHashes[client.Key] = SHA256.HashData(Encoding.UTF8.GetBytes(secret));
        }
    }

    public bool IsConfidential(string clientId) => _secretHashes.ContainsKey(clientId);

    /// <summary>Constant time in the secret (hashes of equal length are compared); unknown ids cost the same.</summary>
    public bool Authenticate(string clientId, string? secret)
    {
        var known = _secretHashes.TryGetValue(clientId, out var expected);
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(secret ?? string.Empty));
        var equal = CryptographicOperations.FixedTimeEquals(presented, known ? expected : _decoy);
        return known && secret is not null && equal;
    }
}
