namespace Mitreden.Web.Sessions;

/// <summary>
/// Where the web sends a browser to sign in: its own start addresses, which begin the OpenID Connect code flow with
/// Identity (<see cref="WebSignIn"/>). Identity's pages (/konto/anmelden, /abstimmungscode) are reached from there.
/// </summary>
public static class SignInLinks
{
    public const string SignInPath = "/anmelden";
    public const string VotingCodePath = "/anmelden/abstimmungscode";

    public static string SignIn(string returnUrl) => $"{SignInPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    public static string VotingCode(string returnUrl) => $"{VotingCodePath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
