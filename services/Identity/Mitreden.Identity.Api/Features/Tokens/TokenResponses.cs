using System.Text.Json.Serialization;
using Microsoft.Net.Http.Headers;

namespace Mitreden.Identity.Api.Features.Tokens;

/// <summary>RFC 6749 §5.1 successful response.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken)
{
    public static TokenResponse From(IssuedAccessToken token, string? refreshToken = null) =>
        new(token.Token, "Bearer", token.ExpiresIn, refreshToken);
}

/// <summary>RFC 6749 §5.2 error response.</summary>
public sealed record OAuthError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

public static class OAuthResults
{
    public static IResult Success(HttpContext http, TokenResponse response)
    {
        NoStore(http);
        return TypedResults.Json(response);
    }

    /// <summary>400 for everything but invalid_client (401) and rate limits (429).</summary>
    public static IResult Error(HttpContext http, string error, string description, int status = StatusCodes.Status400BadRequest)
    {
        NoStore(http);
        return TypedResults.Json(new OAuthError(error, description), statusCode: status);
    }

    public static IResult InvalidClient(HttpContext http, bool usedBasic)
    {
        if (usedBasic)
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"mitreden\"";
        }
        return Error(http, "invalid_client", "Client authentication failed.", StatusCodes.Status401Unauthorized);
    }

    public static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers[HeaderNames.Pragma] = "no-cache";
    }
}
