namespace Kansoku.Agent.Tests.Parsers;

/// <summary>Finds the project's shared reference folder (<c>&lt;repo&gt;/../shared</c>) from the test binaries.</summary>
internal static class SharedFiles
{
    public static string Path(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(System.IO.Path.Combine(candidate, "conformance")))
            {
                return System.IO.Path.Combine([candidate, .. parts]);
            }
        }
        throw new DirectoryNotFoundException($"no shared/conformance folder above {AppContext.BaseDirectory}");
    }
}
