namespace Kansoku.Cli.Tests;

/// <summary>The repository root (the folder holding Kansoku.slnx) and the shared reference folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>&lt;repo&gt;/../shared</c>: seed configs and conformance vectors, read in place, never copied in.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kansoku.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Kansoku.slnx above {AppContext.BaseDirectory}");
    }
}
