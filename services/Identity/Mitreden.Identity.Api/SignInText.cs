namespace Mitreden.Identity.Api;

/// <summary>The texts of Identity's sign-in pages (Resources/SignInText.{de,en}.resx), German first.</summary>
public sealed class SignInText
{
    private SignInText()
    {
    }
}
