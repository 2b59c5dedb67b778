using Microsoft.Extensions.Configuration;

namespace Mitreden.ServiceDefaults.Configuration;

/// <summary>Reads configuration values that a service cannot run without; a missing one stops the start.</summary>
public static class RequiredConfiguration
{
    public static string GetRequired(this IConfiguration configuration, string key)
    {
        var value = configuration[key];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException(
                $"Required configuration value '{key}' is missing (environment variable '{key.Replace(":", "__")}').");
        }
        return value;
    }

    public static string GetRequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetRequired($"ConnectionStrings:{name}");

    /// <summary>A base64 secret of at least <paramref name="minBytes"/> bytes, e.g. a key for keyed hashes.</summary>
    public static byte[] GetRequiredSecret(this IConfiguration configuration, string key, int minBytes = 32)
    {
        var raw = configuration.GetRequired(key);
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(raw);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Configuration value '{key}' must be base64.");
        }
        if (bytes.Length < minBytes)
        {
            throw new InvalidOperationException($"Configuration value '{key}' must hold at least {minBytes} bytes.");
        }
        return bytes;
    }
}
