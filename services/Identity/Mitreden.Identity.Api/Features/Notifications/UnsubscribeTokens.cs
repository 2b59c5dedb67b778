using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Mitreden.Identity.Api.Features.Notifications;

/// <summary>
/// The token of a mail's one-click unsubscribe link: the account and the kind, signed and encrypted with Identity's
/// Data Protection keys (shared by every instance through Redis), so it cannot be forged or turned to another account.
/// It does not expire: a link in an old mail still works.
/// </summary>
public sealed class UnsubscribeTokens(IDataProtectionProvider provider)
{
    public const string Path = "/notifications/unsubscribe";
    /// <summary>The digest's own link: turns every kind that comes in the digest off.</summary>
    public const string WholeDigest = "digest";

    private readonly IDataProtector _protector = provider.CreateProtector("Mitreden.Notifications.Unsubscribe.v1");

    public string Create(Guid userId, string kind) => _protector.Protect($"{userId:N}|{kind}");

    public bool TryRead(string? token, out Guid userId, out string kind)
    {
        userId = Guid.Empty;
        kind = "";
        if (string.IsNullOrEmpty(token) || token.Length > 1000)
        {
            return false;
        }
        string plain;
        try
        {
            plain = _protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return false;
        }
        var parts = plain.Split('|');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out userId) || !(NotificationKinds.All.Contains(parts[1]) || parts[1] == WholeDigest))
        {
            return false;
        }
        kind = parts[1];
        return true;
    }
}
