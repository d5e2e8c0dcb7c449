namespace Kansoku.Agent.Checkpoints;

/// <summary>
/// How far one file has been delivered: every byte before <see cref="Offset"/> is in records that an output acknowledged.
/// </summary>
/// <param name="Device">st_dev of the file.</param>
/// <param name="Inode">st_ino of the file.</param>
/// <param name="FingerprintHash">XxHash64 of the file's first <paramref name="FingerprintLength"/> bytes.</param>
/// <param name="Path">The path the file was found under (for people reading the file, and to find it again after a rename).</param>
/// <param name="RealPath">Where that path pointed (symlinks resolved): rotated siblings are searched beside it.</param>
/// <param name="Offset">Bytes delivered.</param>
/// <param name="Finished">The file was rotated away and read to its end; kept until the file disappears so it is not read again.</param>
internal sealed record Checkpoint(
    ulong Device,
    ulong Inode,
    ulong FingerprintHash,
    int FingerprintLength,
    string Path,
    string RealPath,
    long Offset,
    bool Finished);
