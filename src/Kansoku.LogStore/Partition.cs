using System.Globalization;
using Kansoku.LogStore.Head;
using Kansoku.LogStore.Parts;

namespace Kansoku.LogStore;

/// <summary>
/// One UTC day of logs: <c>{data}/partitions/YYYYMMDD/</c> with its parts, plus the day's heads in memory. Retention drops
/// whole partitions. Every field but the identity is guarded by the storage lock.
/// </summary>
internal sealed class Partition
{
    public const long NanosPerDay = 86_400_000_000_000L;

    public Partition(int day, string directory, PartitionHead active)
    {
        Day = day;
        Directory = directory;
        Active = active;
    }

    /// <summary>Days since 1970-01-01 (UTC).</summary>
    public int Day { get; }
    public string Directory { get; }

    public PartitionHead Active { get; set; }

    /// <summary>Heads frozen by a flush and not yet in a part, oldest first.</summary>
    public List<PartitionHead> Frozen { get; } = [];

    /// <summary>Parts by sequence (age), oldest first.</summary>
    public List<Part> Parts { get; } = [];

    public bool Dropped { get; set; }

    public long PartBytes
    {
        get
        {
            long total = 0;
            foreach (var part in Parts)
            {
                total += part.FileBytes;
            }
            return total;
        }
    }

    /// <summary>The UTC day of a timestamp (floor division, so times before 1970 fall on the day before).</summary>
    public static int DayOf(long unixNano) =>
        (int)(unixNano >= 0 ? unixNano / NanosPerDay : ((unixNano + 1) / NanosPerDay) - 1);

    public static string DirectoryName(int day) =>
        DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static bool TryParseDirectoryName(string name, out int day)
    {
        day = 0;
        if (name.Length != 8 || !DateOnly.TryParseExact(name, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }
        day = date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        return true;
    }
}
