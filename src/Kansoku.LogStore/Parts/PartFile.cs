using System.Globalization;

namespace Kansoku.LogStore.Parts;

/// <summary>Constants and names of part files: <c>{first:x16}-{last:x16}.part</c>, the range of flush sequence numbers it holds.</summary>
internal static class PartFile
{
    public const string Extension = ".part";
    public const string TemporaryExtension = ".part.tmp";
    public const int HeaderBytes = 16;
    public const int FooterBytes = 32;
    /// <summary>Version 2 added shaped blocks; version 1 parts (plain lines only) are still read.</summary>
    public const uint Version = 2;
    public const uint OldestReadableVersion = 1;
    public const int IndexVersion = 1;

    public static ReadOnlySpan<byte> HeaderMagic => "KSKLPART"u8;
    public static ReadOnlySpan<byte> FooterMagic => "KSKLEND1"u8;

    public static string Name(long firstSequence, long lastSequence) =>
        firstSequence.ToString("x16", CultureInfo.InvariantCulture) + "-" + lastSequence.ToString("x16", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseName(string fileName, out long firstSequence, out long lastSequence)
    {
        firstSequence = 0;
        lastSequence = 0;
        if (!fileName.EndsWith(Extension, StringComparison.Ordinal) || fileName.Length != 33 + Extension.Length || fileName[16] != '-')
        {
            return false;
        }
        return long.TryParse(fileName.AsSpan(0, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out firstSequence)
            && long.TryParse(fileName.AsSpan(17, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out lastSequence)
            && firstSequence <= lastSequence;
    }
}
