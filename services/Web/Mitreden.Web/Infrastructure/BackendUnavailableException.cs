namespace Mitreden.Web.Infrastructure;

/// <summary>A backend service did not answer (or answered 5xx). Pages show a friendly notice, never a stack trace.</summary>
public sealed class BackendUnavailableException(string service, string message, Exception? inner = null)
    : Exception($"{service}: {message}", inner)
{
    public string Service { get; } = service;
}
