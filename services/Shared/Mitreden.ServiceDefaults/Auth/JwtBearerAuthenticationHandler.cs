using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Mitreden.ServiceDefaults.Auth;

/// <summary>Options of our bearer scheme. The validation rules themselves live in <see cref="JwtValidationParameters"/>.</summary>
public sealed class MitredenBearerOptions : AuthenticationSchemeOptions
{
    /// <summary>Adds error_description (a fixed, client-safe text) to WWW-Authenticate on invalid tokens.</summary>
    public bool IncludeErrorDescription { get; set; } = true;
}

/// <summary>
/// Reads "Authorization: Bearer &lt;token&gt;" and validates it with <see cref="JwtValidator"/>.
/// No header (or another scheme) → no result; an invalid token → failure, 401 with
/// <c>WWW-Authenticate: Bearer error="invalid_token"</c>. Challenge and forbid write ProblemDetails (401/403).
/// </summary>
public sealed class JwtBearerAuthenticationHandler(
    IOptionsMonitor<MitredenBearerOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    JwtValidator validator)
    : AuthenticationHandler<MitredenBearerOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";
    private const string ProblemContentType = "application/problem+json";

    private TokenValidationOutcome? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var values = Request.Headers.Authorization;
        if (values.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (values.Count > 1)
        {
            return Failed(TokenValidationOutcome.Fail(TokenFailureReason.Malformed, "Only one Authorization header is allowed."));
        }

        var header = values[0] ?? string.Empty;
        const string prefix = "Bearer ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return string.Equals(header.Trim(), "Bearer", StringComparison.OrdinalIgnoreCase)
                ? Failed(TokenValidationOutcome.Fail(TokenFailureReason.Malformed, "The bearer token is empty."))
                : AuthenticateResult.NoResult();
        }

        var token = header.AsSpan(prefix.Length).Trim(' ').ToString();
        var outcome = await validator.ValidateAsync(token, TimeProvider.GetUtcNow(), Context.RequestAborted).ConfigureAwait(false);
        if (!outcome.Succeeded)
        {
            return Failed(outcome);
        }

        var properties = new AuthenticationProperties { ExpiresUtc = outcome.ExpiresAt };
        return AuthenticateResult.Success(new AuthenticationTicket(outcome.Principal, properties, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        if (Response.HasStarted)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        string detail;
        if (_failure is { } failure)
        {
            var challenge = "Bearer error=\"invalid_token\"";
            if (Options.IncludeErrorDescription)
            {
                challenge += $", error_description=\"{failure.Message.Replace("\"", "'", StringComparison.Ordinal)}\"";
            }

            Response.Headers.Append(HeaderNames.WWWAuthenticate, challenge);
            detail = failure.Message;
        }
        else
        {
            Response.Headers.Append(HeaderNames.WWWAuthenticate, "Bearer");
            detail = "A valid bearer token is required.";
        }

        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized", detail, "https://tools.ietf.org/html/rfc9110#section-15.5.2").ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Response.HasStarted)
        {
            return;
        }

        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "You are not allowed to do this.", "https://tools.ietf.org/html/rfc9110#section-15.5.4").ConfigureAwait(false);
    }

    private AuthenticateResult Failed(TokenValidationOutcome outcome)
    {
        _failure = outcome;
        Logger.LogInformation("Bearer token rejected: {Reason}", outcome.Failure);
        return AuthenticateResult.Fail(outcome.Message);
    }

    private async Task WriteProblemAsync(int status, string title, string detail, string type)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = type };
        var service = Context.RequestServices.GetService<IProblemDetailsService>();
        if (service is not null && await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = Context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            return;
        }

        problem.Instance ??= Request.Path;
        Response.ContentType = ProblemContentType;
        await JsonSerializer.SerializeAsync(Response.Body, problem, ProblemJsonOptions, Context.RequestAborted).ConfigureAwait(false);
    }

    private static readonly JsonSerializerOptions ProblemJsonOptions = new(JsonSerializerDefaults.Web);
}
