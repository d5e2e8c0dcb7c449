namespace Kansoku.Testing;

/// <summary>Where the shared reference material and the repository are, found from the test binaries' folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The <c>shared</c> folder next to the repository's worktree: the first ancestor with a sibling <c>shared/seed</c>.</summary>
    public static string SharedDirectory { get; } = FindShared();

    /// <summary>The repository root: the first ancestor holding <c>Kansoku.slnx</c>.</summary>
    public static string RepositoryRoot { get; } = FindUp(d => File.Exists(Path.Combine(d.FullName, "Kansoku.slnx")))
        ?? throw new InvalidOperationException($"no Kansoku.slnx above {AppContext.BaseDirectory}");

    public static string SeedConfig(string name) => Path.Combine(SharedDirectory, "seed", "configs", name);

    /// <summary>A path inside the shared folder, e.g. <c>Shared("conformance", "cri", "vectors.json")</c>.</summary>
    public static string Shared(params string[] parts) => Path.Combine([SharedDirectory, .. parts]);

    private static string FindShared()
    {
        var directory = FindUp(d => d.Parent is not null && Directory.Exists(Path.Combine(d.Parent.FullName, "shared", "seed")))
            ?? throw new InvalidOperationException($"no sibling shared/seed above {AppContext.BaseDirectory}");
        return Path.Combine(Directory.GetParent(directory)!.FullName, "shared");
    }

    private static string? FindUp(Func<DirectoryInfo, bool> predicate)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (predicate(directory))
            {
                return directory.FullName;
            }
        }
        return null;
    }
}
