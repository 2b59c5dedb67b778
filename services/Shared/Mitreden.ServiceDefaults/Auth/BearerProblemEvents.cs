using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>
/// Our answers around JwtBearer: 401 and 403 as ProblemDetails. No token → <c>WWW-Authenticate: Bearer</c>; an invalid
/// one → <c>Bearer error="invalid_token", error_description="…"</c> with a fixed, client-safe text (never the library's
/// message, never token content). "Authorization: Bearer" without a token counts as an invalid token.
/// </summary>
internal sealed class BearerProblemEvents : JwtBearerEvents
{
    private const string EmptyToken = "The bearer token is empty.";
    private static readonly JsonSerializerOptions ProblemJsonOptions = new(JsonSerializerDefaults.Web);

    public override Task MessageReceived(MessageReceivedContext context)
    {
        var header = context.Request.Headers.Authorization;
        if (header.Count == 1 && string.Equals(header[0]?.Trim(), "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            context.Fail(EmptyToken);
        }

        return Task.CompletedTask;
    }

    public override async Task Challenge(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = StatusCodes.Status401Unauthorized;
        string detail;
        if (context.AuthenticateFailure is { } failure)
        {
            detail = Describe(failure);
            response.Headers.Append(HeaderNames.WWWAuthenticate, $"Bearer error=\"invalid_token\", error_description=\"{detail}\"");
        }
        else
        {
            detail = "A valid bearer token is required.";
            response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
        }

        await WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Unauthorized", detail,
            "https://tools.ietf.org/html/rfc9110#section-15.5.2");
    }

    public override async Task Forbidden(ForbiddenContext context)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden", "You are not allowed to do this.",
            "https://tools.ietf.org/html/rfc9110#section-15.5.4", code: "role-required");
    }

    /// <summary>Most specific first: a missing key is also an invalid signature, an expired token also a lifetime failure.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        AuthenticationFailureException { Message: EmptyToken } => EmptyToken,
        SecurityTokenSignatureKeyNotFoundException => "The token signing key is unknown.",
        SecurityTokenInvalidAlgorithmException => "The token algorithm is not allowed.",
        SecurityTokenInvalidSignatureException => "The token signature is invalid.",
        SecurityTokenExpiredException => "The token has expired.",
        SecurityTokenNotYetValidException => "The token is not valid yet.",
        SecurityTokenNoExpirationException => "The token has no expiry.",
        SecurityTokenInvalidLifetimeException => "The token lifetime is invalid.",
        SecurityTokenInvalidIssuerException => "The token issuer is not accepted.",
        SecurityTokenInvalidAudienceException => "The token audience is not accepted.",
        SecurityTokenMalformedException => "The token is malformed.",
        _ => "The token could not be processed.",
    };

    /// <param name="code">Stable code for clients that say it in their own words (extension "code").</param>
    private static async Task WriteProblemAsync(HttpContext context, int status, string title, string detail, string type, string? code = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type };
        if (code is not null)
        {
            problem.Extensions["code"] = code;
        }
        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is not null && await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            return;
        }

        problem.Instance ??= context.Request.Path;
        context.Response.ContentType = "application/problem+json";
        await JsonSerializer.SerializeAsync(context.Response.Body, problem, ProblemJsonOptions, context.RequestAborted);
    }
}
