namespace Kansoku.Agent.Inputs.Tail;

/// <summary>
/// Files a kubelet rotation leaves beside a log: <c>N.log</c> renamed to <c>N.log.&lt;YYYYMMDD-hhmmss&gt;</c>, later compressed
/// to <c>.gz</c> (never read: the same lines were read before compression) with <c>.tmp</c> leftovers (ignored).
/// </summary>
internal static class RotatedSiblings
{
    /// <summary>The uncompressed rotated siblings of <paramref name="realPath"/>, oldest first (the stamp sorts by time).</summary>
    public static List<string> List(string realPath)
    {
        var directory = Path.GetDirectoryName(realPath);
        var prefix = Path.GetFileName(realPath) + ".";
        var found = new List<string>();
        if (directory is null || !Directory.Exists(directory))
        {
            return found;
        }
        try
        {
            foreach (var candidate in Directory.EnumerateFiles(directory, prefix + "*"))
            {
                if (!IsIgnored(candidate))
                {
                    found.Add(candidate);
                }
            }
        }
        catch (IOException)
        {
            return found;
        }
        catch (UnauthorizedAccessException)
        {
            return found;
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    public static bool IsIgnored(string path) =>
        path.EndsWith(".gz", StringComparison.Ordinal) || path.EndsWith(".tmp", StringComparison.Ordinal);

    /// <summary>Whether the file with <paramref name="identity"/> is still at <paramref name="realPath"/> or among its rotated siblings.</summary>
    public static bool IdentityExistsNear(string realPath, FileIdentity identity)
    {
        if (FileIdentity.OfPath(realPath) == identity)
        {
            return true;
        }
        foreach (var sibling in List(realPath))
        {
            if (FileIdentity.OfPath(sibling) == identity)
            {
                return true;
            }
        }
        return false;
    }
}
