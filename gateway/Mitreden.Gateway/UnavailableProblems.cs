using Microsoft.AspNetCore.Mvc;
using Yarp.ReverseProxy.Forwarder;

namespace Mitreden.Gateway;

/// <summary>
/// A component that does not answer (stopped, restarting, every instance down) gets the client a ProblemDetails
/// instead of YARP's empty 502/503: 503 with Retry-After when the gateway could not reach it, 504 when it did not answer
/// in time. So a sign-in while Identity is down fails at once and says why; nothing waits for a timeout.
/// </summary>
public static class UnavailableProblems
{
    public const int RetryAfterSeconds = 5;

    public static async Task WriteIfForwardingFailedAsync(HttpContext context)
    {
        if (context.GetForwarderErrorFeature()?.Error is not { } error || context.Response.HasStarted
            || error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient)
        {
            return;   // nothing failed, the answer is on its way, or the client went away (nobody to tell)
        }
        var service = context.GetReverseProxyFeature().Cluster?.Config.ClusterId ?? "?";
        var status = error switch
        {
            ForwarderError.NoAvailableDestinations or ForwarderError.Request => StatusCodes.Status503ServiceUnavailable,
            ForwarderError.RequestTimedOut => StatusCodes.Status504GatewayTimeout,
            _ => StatusCodes.Status502BadGateway,
        };
        var problem = new ProblemDetails
        {
            Status = status,
            Title = status == StatusCodes.Status503ServiceUnavailable ? "Dienst nicht erreichbar" : "Dienst antwortet nicht",
            Detail = $"Der Dienst „{service}“ ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Sekunden erneut.",
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = "service-unavailable";
        problem.Extensions["service"] = service;
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}
