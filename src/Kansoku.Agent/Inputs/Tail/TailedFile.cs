using Kansoku.Agent.Checkpoints;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Agent.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>One open file and what is held back from it: an incomplete last line, split lines per stream, and
/// multi-line records in progress. Everything before <see cref="SafeOffset"/> has been handed on.</summary>
internal sealed class TailedFile : IDisposable
{
    private ByteBuffer? _carry;

    public TailedFile(string path, string realPath, SafeFileHandle handle, FileIdentity identity, FileCursor cursor, long offset, LogSource source)
    {
        Path = path;
        RealPath = realPath;
        Handle = handle;
        Identity = identity;
        Cursor = cursor;
        ReadOffset = offset;
        Source = source;
    }

    public string Path { get; }
    public string RealPath { get; }
    public SafeFileHandle Handle { get; }
    public FileIdentity Identity { get; }
    public FileCursor Cursor { get; }
    public LogSource Source { get; }

    /// <summary>The next byte to read.</summary>
    public long ReadOffset { get; set; }

    public ContainerLogFormat Format { get; set; }

    /// <summary>The path no longer names this file (renamed by rotation, or deleted): read to the end, then let go.</summary>
    public bool Rotated { get; set; }

    /// <summary>When the file last grew (TimeProvider timestamp): a rotated file is let go RotateWait after this.</summary>
    public long LastGrowth { get; set; }

    public KubernetesMetadata? Metadata { get; set; }
    public long MetadataVersion { get; set; } = -1;
    /// <summary>Each stream's parser: pod annotations can choose one per stream (<c>fluentbit.io/parser_stderr</c>).</summary>
    public IContentParser? StdoutParser { get; set; }
    public IContentParser? StderrParser { get; set; }
    public bool StdoutExcluded { get; set; }
    public bool StderrExcluded { get; set; }

    public IContentParser? ParserFor(LogStream stream) => stream == LogStream.Stderr ? StderrParser : StdoutParser;

    public bool ExcludedFor(LogStream stream) => stream == LogStream.Stderr ? StderrExcluded : StdoutExcluded;

    /// <summary>Long lines being skipped up to their next newline (Skip_Long_Lines On).</summary>
    public bool SkippingLongLine { get; set; }

    public PartialLine Stdout { get; } = new();
    public PartialLine Stderr { get; } = new();

    public PartialLine PartialFor(LogStream stream) => stream == LogStream.Stderr ? Stderr : Stdout;

    /// <summary>Multi-line joining per stream; null when it is off for this file's input.</summary>
    public MultilineAggregator? StdoutLines { get; set; }
    public MultilineAggregator? StderrLines { get; set; }

    public MultilineAggregator? LinesFor(LogStream stream) => stream == LogStream.Stderr ? StderrLines : StdoutLines;

    public bool HasCarry => _carry is { Length: > 0 };
    public long CarryStart { get; private set; }
    public ReadOnlySpan<byte> Carry => _carry is null ? default : _carry.WrittenSpan;
    public ReadOnlyMemory<byte> CarryMemory => _carry is null ? default : _carry.WrittenMemory;

    public void AppendCarry(ReadOnlySpan<byte> bytes, long startOffset)
    {
        _carry ??= new ByteBuffer(16 * 1024);
        if (_carry.Length == 0)
        {
            CarryStart = startOffset;
        }
        _carry.Write(bytes);
    }

    public void ClearCarry() => _carry?.Clear();

    /// <summary>The offset a checkpoint may advance to: before anything still held back.</summary>
    public long SafeOffset()
    {
        var safe = HasCarry ? CarryStart : ReadOffset;
        if (Stdout.IsActive)
        {
            safe = Math.Min(safe, Stdout.StartOffset);
        }
        if (Stderr.IsActive)
        {
            safe = Math.Min(safe, Stderr.StartOffset);
        }
        if (StdoutLines is { HasPending: true } stdoutLines)
        {
            safe = Math.Min(safe, stdoutLines.PendingStartOffset);
        }
        if (StderrLines is { HasPending: true } stderrLines)
        {
            safe = Math.Min(safe, stderrLines.PendingStartOffset);
        }
        return safe;
    }

    public void ResetAfterTruncation()
    {
        ReadOffset = 0;
        ClearCarry();
        Stdout.Reset();
        Stderr.Reset();
        SkippingLongLine = false;
    }

    public void Dispose()
    {
        Handle.Dispose();
        _carry?.Dispose();
        Stdout.Dispose();
        Stderr.Dispose();
    }
}
