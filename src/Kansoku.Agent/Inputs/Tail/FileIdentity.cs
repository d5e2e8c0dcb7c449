using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>
/// A file's identity across renames: device and inode, as <c>fstat</c> reports them for an open handle.
/// Inode numbers are reused after a delete, so checkpoints also keep a fingerprint of the first bytes (see
/// <see cref="FileFingerprint"/>).
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    // st_dev and st_ino are the first two 64-bit fields of struct stat on x86_64 and aarch64 glibc; the buffer is larger
    // than either architecture's struct so fstat never writes past it.
    private const int StatBufferSize = 256;

    public static FileIdentity Of(SafeFileHandle handle)
    {
        var buffer = new byte[StatBufferSize];
        var added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            if (NativeMethods.FStat(fd, buffer) != 0)
            {
                throw new IOException($"fstat failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
        return new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

    /// <summary>The identity of what <paramref name="path"/> names now (following symlinks), or null if it is gone.</summary>
    public static FileIdentity? OfPath(string path)
    {
        var buffer = new byte[StatBufferSize];
        return NativeMethods.Stat(path, buffer) == 0
            ? new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8))
            : null;
    }

    public override string ToString() => $"{Device}:{Inode}";

    private static class NativeMethods
    {
#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code, which is off in this project; these calls are cold.
        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        public static extern int FStat(int fd, byte[] statBuffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] statBuffer);
#pragma warning restore SYSLIB1054
    }
}
