using Kansoku.Core.IO;

namespace Kansoku.LogStore;

/// <summary>Durable file creation: a rename followed by an fsync of its directory, so it survives a power loss.</summary>
internal static class FileSystem
{
    public static void FsyncDirectory(string directory) => DirectorySync.Fsync(directory);

    public static void CommitFile(string temporaryPath, string finalPath)
    {
        File.Move(temporaryPath, finalPath, overwrite: false);
        FsyncDirectory(Path.GetDirectoryName(finalPath)!);
    }
}
