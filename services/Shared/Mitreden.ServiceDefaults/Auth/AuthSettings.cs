using System.Net;
using Microsoft.Extensions.Configuration;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>
/// Where tokens come from and whom they must be for: <c>Auth:Issuer</c> and <c>Auth:Audience</c> (required),
/// <c>Auth:MetadataAddress</c> (Identity's discovery document as this component reaches it; default
/// <c>{Issuer}/.well-known/openid-configuration</c>) and <c>Auth:RequireHttpsMetadata</c> (default: true unless the
/// metadata address is loopback; plain HTTP elsewhere stops the start).
/// </summary>
public sealed record AuthSettings(string Issuer, string Audience, Uri MetadataAddress, bool RequireHttpsMetadata)
{
    public const string IssuerKey = "Auth:Issuer";
    public const string AudienceKey = "Auth:Audience";
    public const string MetadataAddressKey = "Auth:MetadataAddress";
    public const string RequireHttpsMetadataKey = "Auth:RequireHttpsMetadata";
    public const string DiscoveryPath = "/.well-known/openid-configuration";

    /// <summary>
    /// The base address that the issuer's own URLs (e.g. <c>jwks_uri</c> in the discovery document, which names the
    /// public issuer behind the gateway) are fetched from: the metadata address without the discovery path. Null when
    /// it is the issuer itself or the metadata address does not end in the discovery path.
    /// </summary>
    public Uri? IssuerFetchedFrom
    {
        get
        {
            var metadata = MetadataAddress.GetLeftPart(UriPartial.Path);
            if (!metadata.EndsWith(DiscoveryPath, StringComparison.Ordinal))
            {
                return null;
            }
            var fetchedFrom = metadata[..^DiscoveryPath.Length];
            return string.Equals(fetchedFrom, Issuer.TrimEnd('/'), StringComparison.Ordinal) ? null : new Uri(fetchedFrom, UriKind.Absolute);
        }
    }

    public static AuthSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var issuer = Required(configuration, IssuerKey);
        var audience = Required(configuration, AudienceKey);
        if (!IsHttpUrl(issuer, out _))
        {
            throw new InvalidOperationException($"Configuration value '{IssuerKey}' must be an absolute http(s) URL (got '{issuer}').");
        }

        var address = configuration[MetadataAddressKey];
        if (string.IsNullOrWhiteSpace(address))
        {
            address = issuer.TrimEnd('/') + DiscoveryPath;
        }
        if (!IsHttpUrl(address, out var metadata))
        {
            throw new InvalidOperationException($"Configuration value '{MetadataAddressKey}' must be an absolute http(s) URL (got '{address}').");
        }

        // Plain HTTP to Identity only where nothing can listen in: loopback, or where the operator says so explicitly
        // (e.g. the chart's in-cluster Service address).
        var requireHttps = configuration.GetValue<bool?>(RequireHttpsMetadataKey) ?? !IsLoopback(metadata);
        if (requireHttps && metadata.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException(
                $"Configuration value '{MetadataAddressKey}' ('{metadata}') must be HTTPS while '{RequireHttpsMetadataKey}' is true (its default unless the address is loopback).");
        }

        return new AuthSettings(issuer, audience, metadata, requireHttps);
    }

    private static bool IsHttpUrl(string value, out Uri uri) =>
        Uri.TryCreate(value, UriKind.Absolute, out uri!) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.IdnHost, out var address) && IPAddress.IsLoopback(address));

    private static string Required(IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Required configuration value '{key}' is missing (environment variable '{key.Replace(":", "__", StringComparison.Ordinal)}'). Authentication cannot be disabled.");
        }

        return value;
    }
}
