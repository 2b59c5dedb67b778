using System.Diagnostics;

namespace Mitreden.Browser.Tests;

/// <summary>
/// The standalone .NET Aspire dashboard on the test stack's OTLP port. The components of a test stack always export
/// there (./mitreden sets OTEL_EXPORTER_OTLP_ENDPOINT); nothing listens until this fixture starts the dashboard, and it
/// stops it again at the end. Its PID goes where ./mitreden looks, so `test-stack down` stops one left behind.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private Process? _process;
    private StreamWriter? _log;

    public static Uri Url => new(Required("MITREDEN_DASHBOARD_URL"));

    private static string PidFile => Path.Combine(Stack.StateDirectory, "pids", "dashboard.pid");

    public async Task InitializeAsync()
    {
        var binary = Required("MITREDEN_DASHBOARD_BIN");
        if (!File.Exists(binary))
        {
            throw new InvalidOperationException($"The dashboard binary is missing at {binary} (./mitreden test-stack up restores it).");
        }
        var start = new ProcessStartInfo(binary)
        {
            WorkingDirectory = Stack.StateDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = Url.ToString().TrimEnd('/');
        start.Environment["DOTNET_DASHBOARD_OTLP_ENDPOINT_URL"] = Required("MITREDEN_OTLP_URL");
        start.Environment["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        // Loopback only and gone after the test: no sign-in page in the way.
        start.Environment["Dashboard__Frontend__AuthMode"] = "Unsecured";
        start.Environment["Dashboard__Otlp__AuthMode"] = "Unsecured";

        var logs = Environment.GetEnvironmentVariable("MITREDEN_STACK_LOGS") is { Length: > 0 } dir ? dir : Path.GetTempPath();
        _log = new StreamWriter(Path.Combine(logs, "dashboard.log"), append: true) { AutoFlush = true };
        _process = Process.Start(start) ?? throw new InvalidOperationException("The dashboard did not start.");
        _process.OutputDataReceived += (_, e) => Write(e.Data);
        _process.ErrorDataReceived += (_, e) => Write(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await File.WriteAllTextAsync(PidFile, $"{_process.Id}\n");

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The dashboard exited with code {_process.ExitCode} (see dashboard.log).");
            }
            try
            {
                using var response = await probe.GetAsync(new Uri(Url, "/health"));
                return response.IsSuccessStatusCode;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), $"the dashboard did not answer on {Url}");
    }

    private void Write(string? line)
    {
        if (line is not null)
        {
            lock (this)
            {
                _log?.WriteLine(line);
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        File.Delete(PidFile);
        lock (this)
        {
            _log?.Dispose();
            _log = null;
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the browser tests through './mitreden test' or source the file of './mitreden test-stack up'.");
}
