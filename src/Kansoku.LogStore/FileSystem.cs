using System.Runtime.InteropServices;

namespace Kansoku.LogStore;

/// <summary>The durability steps .NET does not offer: fsync of a directory, so that a create or rename in it survives a power loss.</summary>
internal static class FileSystem
{
    private const int ReadOnlyDirectoryFlags = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void FsyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = NativeMethods.Open(directory, ReadOnlyDirectoryFlags);
        if (fd < 0)
        {
            throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (NativeMethods.FSync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    /// <summary>Renames a finished, already fsynced temporary file to its name and fsyncs the directory.</summary>
    public static void CommitFile(string temporaryPath, string finalPath)
    {
        File.Move(temporaryPath, finalPath, overwrite: false);
        FsyncDirectory(Path.GetDirectoryName(finalPath)!);
    }

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which is off in this project; these calls are cold.
        [DllImport("libc", EntryPoint = "open", SetLastError = true, BestFitMapping = false)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int FSync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);
#pragma warning restore SYSLIB1054
    }
}
