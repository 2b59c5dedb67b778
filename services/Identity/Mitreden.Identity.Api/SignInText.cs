namespace Mitreden.Identity.Api;

/// <summary>The texts of Identity's pages (sign-in, voting code, account pages; Resources/SignInText.{de,en}.resx), German first.</summary>
public sealed class SignInText
{
    private SignInText()
    {
    }
}
