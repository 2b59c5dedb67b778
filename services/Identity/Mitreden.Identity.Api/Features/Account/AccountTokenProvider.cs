using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Mitreden.Identity.Api.Data;

namespace Mitreden.Identity.Api.Features.Account;

/// <summary>
/// Email-confirmation and password-reset tokens: expiry + HMAC over purpose, user, security stamp and email, keyed
/// from Identity:KeyEncryptionKey. Stateless, so every instance accepts every other's tokens without sharing a Data
/// Protection key ring; a password reset changes the security stamp and so uses its token up.
/// </summary>
public sealed class AccountTokenProvider(IdentitySecrets secrets, TimeProvider time) : IUserTwoFactorTokenProvider<MitredenUser>
{
    public const string ProviderName = "mitreden";
    private const int MacSize = 32;

    public async Task<string> GenerateAsync(string purpose, UserManager<MitredenUser> manager, MitredenUser user)
    {
        var expires = (time.GetUtcNow() + LifetimeOf(purpose)).ToUnixTimeSeconds();
        var token = new byte[sizeof(long) + MacSize];
        BinaryPrimitives.WriteInt64BigEndian(token, expires);
        (await MacAsync(purpose, manager, user, expires)).CopyTo(token, sizeof(long));
        return Base64Url.EncodeToString(token);
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<MitredenUser> manager, MitredenUser user)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 128 || !Base64Url.IsValid(token))
        {
            return false;
        }
        var bytes = Base64Url.DecodeFromChars(token);
        if (bytes.Length != sizeof(long) + MacSize)
        {
            return false;
        }
        var expires = BinaryPrimitives.ReadInt64BigEndian(bytes);
        if (time.GetUtcNow().ToUnixTimeSeconds() > expires)
        {
            return false;
        }
        var expected = await MacAsync(purpose, manager, user, expires);
        return CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(sizeof(long)));
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<MitredenUser> manager, MitredenUser user) => Task.FromResult(false);

    private static TimeSpan LifetimeOf(string purpose) =>
        purpose == UserManager<MitredenUser>.ResetPasswordTokenPurpose ? TimeSpan.FromHours(2) : TimeSpan.FromDays(3);

    private async Task<byte[]> MacAsync(string purpose, UserManager<MitredenUser> manager, MitredenUser user, long expires)
    {
        var stamp = await manager.GetSecurityStampAsync(user);
        var data = $"{purpose}\n{user.Id:N}\n{stamp}\n{user.NormalizedEmail}\n{expires}";
        return HMACSHA256.HashData(secrets.AccountTokenKey, Encoding.UTF8.GetBytes(data));
    }
}
