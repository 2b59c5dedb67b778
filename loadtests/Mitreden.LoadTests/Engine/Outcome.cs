namespace Mitreden.LoadTests.Engine;

/// <summary>What one operation came to: success, or an error kind such as <c>http-503</c>, <c>timeout</c>.</summary>
public readonly record struct Outcome(string? Error)
{
    public static readonly Outcome Success = new(null);
    public bool Ok => Error is null;

    public static Outcome Failure(string kind) => new(kind);

    public static Outcome FromStatus(int status, params int[] expected) =>
        Array.IndexOf(expected, status) >= 0 ? Success : new Outcome(ErrorKinds.Http(status));
}

public static class ErrorKinds
{
    public const string Timeout = "timeout";
    public const string Connection = "connection";
    public const string ClientSaturated = "client-saturated";

    private static readonly string[] StatusNames = Enumerable.Range(0, 600).Select(s => $"http-{s}").ToArray();

    public static string Http(int status) => status is >= 0 and < 600 ? StatusNames[status] : $"http-{status}";

    /// <summary>Maps an exception thrown by an operation to an error kind.</summary>
    public static string Of(Exception exception) => exception switch
    {
        TaskCanceledException { InnerException: TimeoutException } => Timeout,
        TimeoutException => Timeout,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => Connection,
        HttpRequestException { InnerException: System.Net.Sockets.SocketException } => Connection,
        HttpRequestException h => "http-" + h.HttpRequestError.ToString().ToLowerInvariant(),
        OperationCanceledException => "cancelled",
        _ => "exception-" + exception.GetType().Name,
    };
}
