using System.IO.Hashing;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>
/// A hash of a file's first bytes (up to <see cref="MaxLength"/>), so a checkpoint is not applied to a new file that
/// got a deleted file's inode. A file shorter than that is fingerprinted over what it has, and the length is kept:
/// a later match compares the same prefix.
/// </summary>
internal readonly record struct FileFingerprint(ulong Hash, int Length)
{
    public const int MaxLength = 256;

    public static FileFingerprint Read(Microsoft.Win32.SafeHandles.SafeFileHandle handle, int length = MaxLength)
    {
        Span<byte> prefix = stackalloc byte[MaxLength];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, prefix[read..length], read);
            if (n == 0)
            {
                break;
            }
            read += n;
        }
        return new FileFingerprint(XxHash64.HashToUInt64(prefix[..read]), read);
    }
}
