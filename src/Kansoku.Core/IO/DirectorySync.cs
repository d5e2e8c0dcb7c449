using System.Runtime.InteropServices;

namespace Kansoku.Core.IO;

/// <summary>fsync of a directory, so a rename in it survives a power loss (not only a process crash).</summary>
public static class DirectorySync
{
    private const int ReadOnlyDirectoryFlags = 0x10000; // O_RDONLY | O_DIRECTORY on Linux

    public static void Fsync(string directory)
    {
        var fd = NativeMethods.Open(directory, ReadOnlyDirectoryFlags);
        if (fd < 0)
        {
            return;
        }
        try
        {
            _ = NativeMethods.FSync(fd);
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
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
