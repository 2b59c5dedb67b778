using System.Net.Http.Headers;
using Mitreden.ServiceDefaults.Observability;
using Mitreden.Web.Sessions;

namespace Mitreden.Web.Api;

/// <summary>
/// On every call to a service: the signed-in user's access token (server-side only, never in the browser), the
/// correlation id of the page request, the browser's address (services rate-limit per client, and the web app
/// is a trusted proxy on loopback/the cluster network) and the page language.
/// </summary>
public sealed class BackendHeadersHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<bool> Anonymous = new("mitreden.anonymous");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = accessor.HttpContext;
        if (context is not null)
        {
            var anonymous = request.Options.TryGetValue(Anonymous, out var a) && a;
            if (!anonymous && request.Headers.Authorization is null && context.Features.Get<WebSessionFeature>() is { } session)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", session.Data.AccessToken);
            }
            if (context.Items.TryGetValue(CorrelationMiddleware.ItemKey, out var id) && id is string correlationId)
            {
                request.Headers.TryAddWithoutValidation(CorrelationMiddleware.HeaderName, correlationId);
            }
            if (context.Connection.RemoteIpAddress is { } address)
            {
                request.Headers.TryAddWithoutValidation("X-Forwarded-For", address.ToString());
            }
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(
                System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName));
        }
        return base.SendAsync(request, cancellationToken);
    }
}
