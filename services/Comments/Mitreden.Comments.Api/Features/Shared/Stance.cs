using Mitreden.Comments.Contracts;

namespace Mitreden.Comments.Api.Features.Shared;

/// <summary>Stance on the item, for weighing scenarios; JSON "pro" | "contra" | "neutral".</summary>
public enum Stance
{
    Pro,
    Contra,
    Neutral,
}

internal static class StanceMapping
{
    public static string ToContract(this Stance stance) => stance switch
    {
        Stance.Pro => Stances.Pro,
        Stance.Contra => Stances.Contra,
        _ => Stances.Neutral,
    };

    public static Stance FromContract(string value) => value switch
    {
        Stances.Pro => Stance.Pro,
        Stances.Contra => Stance.Contra,
        _ => Stance.Neutral,
    };
}
