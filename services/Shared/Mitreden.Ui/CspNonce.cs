using System.Security.Cryptography;

namespace Mitreden.Ui;

/// <summary>The per-request nonce that script tags carry; the CSP header allows only scripts from 'self' with it.</summary>
public sealed class CspNonce
{
    public string Value { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
}
