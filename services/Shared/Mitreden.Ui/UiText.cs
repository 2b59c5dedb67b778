namespace Mitreden.Ui;

/// <summary>The texts of the shared page frame and form helpers (Resources/UiText.{de,en}.resx), German first.</summary>
public sealed class UiText
{
    private UiText()
    {
    }
}
