using System.Security.Cryptography;
using System.Text;

namespace Mitreden.Identity.Api.Features.Keys;

/// <summary>AES-256-GCM for private signing keys at rest; the kid is bound as associated data.</summary>
internal static class KeyProtector
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    public static byte[] Encrypt(byte[] keyEncryptionKey, ReadOnlySpan<byte> plaintext, string kid)
    {
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keyEncryptionKey, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), Encoding.UTF8.GetBytes(kid));
        return output;
    }

    /// <summary>Throws <see cref="CryptographicException"/> on a wrong key, a tampered ciphertext or another kid.</summary>
    public static byte[] Decrypt(byte[] keyEncryptionKey, byte[] data, string kid)
    {
        if (data.Length <= HeaderSize || data[0] != Version)
        {
            throw new CryptographicException($"Signing key '{kid}' has an unknown encryption format.");
        }
        var plaintext = new byte[data.Length - HeaderSize];
        using var aes = new AesGcm(keyEncryptionKey, TagSize);
        aes.Decrypt(data.AsSpan(1, NonceSize), data.AsSpan(HeaderSize), data.AsSpan(1 + NonceSize, TagSize), plaintext, Encoding.UTF8.GetBytes(kid));
        return plaintext;
    }
}
