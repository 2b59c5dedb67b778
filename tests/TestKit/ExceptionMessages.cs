namespace Mitreden.TestKit;

public static class ExceptionMessages
{
    /// <summary>The messages of an exception and of every exception inside it (a host may wrap the first), joined.</summary>
    public static string Of(Exception error) => error switch
    {
        AggregateException all => string.Join(" | ", all.InnerExceptions.Select(Of)),
        { InnerException: { } inner } => error.Message + " | " + Of(inner),
        _ => error.Message,
    };
}
