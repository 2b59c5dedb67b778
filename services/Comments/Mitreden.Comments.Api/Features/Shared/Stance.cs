using Mitreden.Comments.Contracts;
using Mitreden.Comments.Contracts.Http;

namespace Mitreden.Comments.Api.Features.Shared;

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
