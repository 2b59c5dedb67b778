namespace Mitreden.Browser.Tests;

/// <summary>
/// Where the stack under test is. Everything is required: without the stack the tests fail with a message that says
/// how to start it – they never skip silently.
/// </summary>
public static class Stack
{
    public static Uri Gateway => TestEnvironment.Gateway;

    public static string StateDirectory => Required("MITREDEN_STATE");

    public static string ScreenshotDirectory
    {
        get
        {
            var directory = Environment.GetEnvironmentVariable("MITREDEN_SCREENSHOTS") is { Length: > 0 } chosen
                ? chosen
                : Path.Combine(Environment.GetEnvironmentVariable("MITREDEN_STATE") is { Length: > 0 } state
                    ? state
                    : Path.Combine(AppContext.BaseDirectory, "TestResults"), "screenshots");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static string AdminEmail => StackClient.AdminEmail;

    public static string AdminPassword => StackClient.AdminPassword;

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set. The browser tests need the running stack: run them through './mitreden test' " +
                "(it starts everything on the test ports and sets MITREDEN_GATEWAY_URL, MITREDEN_STATE, MITREDEN_ADMIN_EMAIL and MITREDEN_ADMIN_PASSWORD).");
}
