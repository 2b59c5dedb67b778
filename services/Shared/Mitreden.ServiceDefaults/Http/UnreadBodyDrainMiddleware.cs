using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mitreden.ServiceDefaults.Http;

/// <summary>
/// A request answered before its body was read (401/403/404/415, a 413 from the endpoint) leaves the rest of the body
/// in flight. Kestrel then closes the connection while the sender is still writing; the TCP reset can reach the
/// gateway before it has read the answer, and YARP reports 502 instead of the service's 4xx (intermittently, for bodies
/// of a few MB). Reading and discarding the rest, up to <see cref="HttpDefaults.MaxDrainBytes"/> and for at most
/// <see cref="DrainTimeout"/>, keeps the connection orderly so the early answer arrives; beyond that the connection
/// is closed as before.
/// </summary>
public sealed class UnreadBodyDrainMiddleware(RequestDelegate next)
{
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var request = context.Request;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: true }
            || request.ContentLength > HttpDefaults.MaxDrainBytes
            || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is { IsReadOnly: false } && (limit.MaxRequestBodySize ?? long.MaxValue) < HttpDefaults.MaxDrainBytes)
        {
            limit.MaxRequestBodySize = HttpDefaults.MaxDrainBytes;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(DrainTimeout);
        var buffer = new byte[16 * 1024];
        long drained = 0;
        try
        {
            int read;
            while (drained <= HttpDefaults.MaxDrainBytes && (read = await request.Body.ReadAsync(buffer, timeout.Token)) > 0)
            {
                drained += read;
            }
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException
                                       or ConnectionResetException or InvalidOperationException)
        {
            // Over a limit, too slow, or gone: Kestrel closes the connection, as it would have without us.
        }
    }
}
