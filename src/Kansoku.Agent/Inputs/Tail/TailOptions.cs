using Kansoku.Agent.Config;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>The tail input's settings, with Fluent Bit's key names.</summary>
internal sealed class TailOptions
{
    public const string DefaultPath = "/var/log/containers/*.log";

    public required IReadOnlyList<string> Paths { get; init; }
    public IReadOnlyList<string> ExcludePaths { get; init; } = [];

    /// <summary>Tag with an optional <c>*</c>, replaced by the file path with '/' as '.' (Fluent Bit's expansion).</summary>
    public string Tag { get; init; } = "kube.*";

    /// <summary>Files present at start are read from their beginning (true) or from their end (false). Files that appear later are always read whole.</summary>
    public bool ReadFromHead { get; init; }

    /// <summary>How often files are checked for growth when idle, and globs re-evaluated.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a rotated file is kept open after its end is read, in case the writer still appends.</summary>
    public TimeSpan RotateWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Name of a [PARSER] applied to each record's content.</summary>
    public string? Parser { get; init; }

    /// <summary>The longest line kept whole; longer lines are skipped (Skip_Long_Lines On) or cut into pieces.</summary>
    public int BufferMaxSize { get; init; } = 1 << 20;

    public bool SkipLongLines { get; init; }

    /// <summary>Multi-line joining of stack traces: on by default; <c>multiline.parser</c> names the rules.</summary>
    public bool Multiline { get; init; } = true;

    public string? MultilineParser { get; init; }

    public TimeSpan MultilineFlushTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A key under which the file path is added to each record (Fluent Bit's Path_Key).</summary>
    public string? PathKey { get; init; }

    public SourceLocation Location { get; init; }

    public static TailOptions From(ComponentSpec spec)
    {
        var multilineParser = spec.Get("multiline.parser") ?? spec.Get("multiline_parser");
        var multiline = spec.GetBool("multiline", defaultValue: true);
        if (multilineParser is not null && string.Equals(multilineParser.Trim(), "off", StringComparison.OrdinalIgnoreCase))
        {
            multiline = false;
            multilineParser = null;
        }
        spec.MarkUsed("DB");
        spec.MarkUsed("DB.sync");
        spec.MarkUsed("Mem_Buf_Limit");
        spec.MarkUsed("Docker_Mode");
        spec.MarkUsed("Alias");
        return new TailOptions
        {
            Paths = SplitList(spec.Get("Path") ?? DefaultPath),
            ExcludePaths = SplitList(spec.Get("Exclude_Path") ?? ""),
            Tag = spec.Get("Tag") ?? "kube.*",
            ReadFromHead = spec.GetBool("Read_from_Head", defaultValue: false),
            RefreshInterval = Min(spec.GetDuration("Refresh_Interval", TimeSpan.FromMilliseconds(250)), TimeSpan.FromSeconds(1)),
            RotateWait = spec.GetDuration("Rotate_Wait", TimeSpan.FromSeconds(5)),
            Parser = spec.Get("Parser"),
            BufferMaxSize = (int)Math.Clamp(spec.GetSize("Buffer_Max_Size", 1 << 20), 1024, 64 << 20),
            SkipLongLines = spec.GetBool("Skip_Long_Lines", defaultValue: false),
            Multiline = multiline,
            MultilineParser = multilineParser,
            MultilineFlushTimeout = spec.GetDuration("multiline.flush_timeout", TimeSpan.FromSeconds(1)),
            PathKey = spec.Get("Path_Key"),
            Location = spec.Location,
        };
    }

    // Fluent Bit polls with inotify and refreshes globs every Refresh_Interval (60 s by default); this input polls, so the
    // interval is capped to keep latency low.
    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static List<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
