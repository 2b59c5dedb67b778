using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;

namespace Mitreden.Architecture.Tests;

/// <summary>The repository this test runs in: its project files and the assemblies built into artifacts/.</summary>
internal static class Repository
{
    public static readonly string[] Services = ["Identity", "Proposals", "Comments", "Voting", "Moderation"];

    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mitreden.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Mitreden.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>artifacts/bin/&lt;project&gt;/&lt;this test's configuration&gt;/&lt;project&gt;.dll, built with the solution.</summary>
    public static string BuiltAssembly(string project)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(Root, "artifacts", "bin", project, configuration, project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built (build the solution first)", path);
    }

    public static string ServiceProject(string service) =>
        Path.Combine(Root, "services", service, $"Mitreden.{service}.Api", $"Mitreden.{service}.Api.csproj");

    public static string WebProject => Path.Combine(Root, "services", "Web", "Mitreden.Web", "Mitreden.Web.csproj");

    /// <summary>The file names (without extension) of a project file's ProjectReferences.</summary>
    public static IReadOnlyList<string> ProjectReferences(string projectXml) =>
        XDocument.Parse(projectXml).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/')))
            .ToList();

    /// <summary>The names of the assemblies a built assembly references (read from its metadata, nothing loaded).</summary>
    public static IReadOnlyList<string> AssemblyReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToList();
    }

    public static Assembly Load(string project) => Assembly.LoadFrom(BuiltAssembly(project));
}
