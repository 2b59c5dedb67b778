namespace Mitreden.Web.Sessions;

/// <summary>The signed-in session of this request (set by the session handler), read by the backend clients.</summary>
public sealed class WebSessionFeature(string id, SessionData data)
{
    public string Id { get; } = id;
    public SessionData Data { get; set; } = data;
}

public static class WebSessionCookie
{
    public const string Name = "mitreden.session";

    public static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Lax,
        Secure = request.IsHttps,
        Path = "/",
        IsEssential = true,
    };
}

/// <summary>Authorization policies of the web front end (the services' own policies authenticate bearer tokens only).</summary>
public static class WebPolicies
{
    public const string SignedIn = "web-signed-in";
    public const string Moderator = "web-moderator";
    public const string Staff = "web-staff";
}
