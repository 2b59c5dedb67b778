using System.Text.Json;

namespace Mitreden.LoadTests.Api;

/// <summary>
/// Test voters kept in a file (<c>--voters-file</c>) so that several driver runs against one stack (the fault
/// runs: one ballot each) create them once. A voter's key differs per ballot, so the same accounts vote anew on
/// every new ballot. The file holds access tokens (valid 60 minutes): it is written with mode 600 and reused
/// for at most <see cref="MaxAge"/>, so a run started from it still has 20 minutes of valid tokens.
/// </summary>
public static class TestVoterFile
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(40);

    private sealed record Stored(DateTimeOffset CreatedAt, string District, List<MitredenApi.TestVoter> Voters);

    /// <summary>The stored voters when the file has at least <paramref name="count"/> fresh ones of the district, else null.</summary>
    public static List<MitredenApi.TestVoter>? TryLoad(string path, int count, string district, DateTimeOffset now)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path), MitredenApi.Json);
            return stored is not null && stored.District == district && stored.Voters.Count >= count && now - stored.CreatedAt < MaxAge
                ? stored.Voters.Take(count).ToList()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static void Save(string path, IReadOnlyList<MitredenApi.TestVoter> voters, string district, DateTimeOffset createdAt)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }
        var temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, new Stored(createdAt, district, voters.ToList()), MitredenApi.Json);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Loads the voters from <paramref name="path"/> or creates them (and stores them when a path is given).</summary>
    public static async Task<(List<MitredenApi.TestVoter> Voters, bool Created)> LoadOrCreateAsync(string? path, int count, string district,
        Func<Task<List<MitredenApi.TestVoter>>> create)
    {
        if (path is not null && TryLoad(path, count, district, DateTimeOffset.UtcNow) is { } stored)
        {
            return (stored, false);
        }
        var createdAt = DateTimeOffset.UtcNow;
        var voters = await create();
        if (path is not null)
        {
            Save(path, voters, district, createdAt);
        }
        return (voters, true);
    }
}
