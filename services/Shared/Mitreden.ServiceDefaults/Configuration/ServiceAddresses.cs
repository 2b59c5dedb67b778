using Microsoft.Extensions.Configuration;

namespace Mitreden.ServiceDefaults.Configuration;

/// <summary>
/// Where the other components answer: <c>Services:&lt;name&gt;</c>, one or more absolute http(s) URLs separated by
/// <c>;</c> (the gateway balances over all of them, the web calls the first). Deployment tooling sets one value per
/// component (<c>Services__voting</c>). The gateway and the web read it once at composition; a missing or malformed
/// value stops the start with a message naming the key.
/// </summary>
public static class ServiceAddresses
{
    public const string Section = "Services";

    /// <summary>The addresses of component <paramref name="name"/>, in the order given (at least one).</summary>
    public static IReadOnlyList<Uri> Get(IConfiguration configuration, string name)
    {
        var key = $"{Section}:{name}";
        var addresses = new List<Uri>();
        foreach (var value in configuration.GetRequired(key).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new InvalidOperationException(
                    $"Configuration value '{key}' holds '{value}'; expected absolute http(s) URLs separated by ';'.");
            }
            addresses.Add(uri);
        }
        return addresses.Count > 0
            ? addresses
            : throw new InvalidOperationException($"Configuration value '{key}' names no address.");
    }
}
