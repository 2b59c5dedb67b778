namespace Mitreden.ServiceDefaults.Auth;

/// <summary>
/// The metadata backchannel's first handler. Identity's discovery document names its keys at the public issuer
/// address (<c>{Issuer}/.well-known/jwks.json</c>, through the gateway), but a component reaches Identity directly:
/// a request for an address under the issuer goes to the same path under <see cref="AuthSettings.IssuerFetchedFrom"/>.
/// Nothing else is rewritten, so a document naming another host is fetched from there (and refused if it is not HTTPS
/// where HTTPS is required).
/// </summary>
public sealed class IssuerAddressHandler(AuthSettings settings) : DelegatingHandler
{
    private readonly string _issuer = new Uri(settings.Issuer.TrimEnd('/') + "/", UriKind.Absolute).AbsoluteUri;
    private readonly string? _fetchedFrom = settings.IssuerFetchedFrom is { } from ? from.AbsoluteUri.TrimEnd('/') + "/" : null;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_fetchedFrom is not null && request.RequestUri is { } uri
            && uri.AbsoluteUri.StartsWith(_issuer, StringComparison.Ordinal))
        {
            request.RequestUri = new Uri(_fetchedFrom + uri.AbsoluteUri[_issuer.Length..], UriKind.Absolute);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
