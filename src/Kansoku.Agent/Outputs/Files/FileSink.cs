using Kansoku.Agent.Config;
using Kansoku.Agent.Outputs.Batching;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Outputs.Files;

/// <summary>
/// Fluent Bit's <c>file</c> output in its record-per-line form: appends each batch's NDJSON as-is, handing it to the
/// OS (and with <see cref="SyncPolicy.Full"/> fsyncing it), so a completed send survives the agent being killed.
/// </summary>
internal sealed class FileSink : ILogSink
{
    private readonly SyncPolicy _sync;
    private readonly AgentLog _log;
    private FileStream? _stream;

    /// <remarks>The file is opened on the first write, so building the pipeline (as <c>--check</c> does) leaves it alone.</remarks>
    public FileSink(string path, SyncPolicy sync, AgentLog log)
    {
        Path = path;
        _sync = sync;
        _log = log;
    }

    private FileStream Open()
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        var torn = CutTornTail(Path);
        if (torn > 0)
        {
            _log.Warn($"{Path}: removed an incomplete last line ({torn} bytes) left by a crash; its batch is sent again");
        }
        return new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
    }

    /// <summary>
    /// A process killed in the middle of a write leaves a partial last line. That batch was never acknowledged, so it
    /// will be written again; appending after the fragment would glue two records into one invalid line. Cut the
    /// fragment back to the last newline first.
    /// </summary>
    private static long CutTornTail(string path)
    {
        using var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
        var length = stream.Length;
        if (length == 0)
        {
            return 0;
        }
        var block = new byte[64 * 1024];
        var end = length;
        while (end > 0)
        {
            var start = Math.Max(0, end - block.Length);
            var count = (int)(end - start);
            stream.Position = start;
            stream.ReadExactly(block, 0, count);
            var newline = block.AsSpan(0, count).LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                var keep = start + newline + 1;
                if (keep < length)
                {
                    stream.SetLength(keep);
                    stream.Flush(flushToDisk: true);
                }
                return length - keep;
            }
            end = start;
        }
        stream.SetLength(0);
        stream.Flush(flushToDisk: true);
        return length;
    }

    public string Path { get; }

    /// <summary>
    /// Fluent Bit splits the target into <c>Path</c> (directory) and <c>File</c> (name, default the tag). Records
    /// here carry no tag, so <c>Path</c> alone is the full file path. <c>Format</c> accepts <c>json_lines</c> (default)
    /// and <c>plain</c>, which in Fluent Bit is the same record-as-JSON line.
    /// </summary>
    public static string ResolvePath(ComponentSpec spec)
    {
        var format = spec.Find("format");
        if (format is not null && format.Value.Trim().ToLowerInvariant() is not ("json_lines" or "plain"))
        {
            throw new ConfigException(format.Location, format.Key, $"file supports json_lines and plain, not '{format.Value}'");
        }
        // Directories are always created; Fluent Bit's mkdir switch is accepted for compatibility.
        spec.MarkUsed("mkdir");
        var directory = spec.Get("path");
        var file = spec.Get("file");
        return (directory, file) switch
        {
            (null, null) => throw new ConfigException(spec.Location, "path", "output 'file' needs 'path' (a file path) or 'path' and 'file'"),
            (not null, null) => directory,
            (null, not null) => file,
            _ => System.IO.Path.Combine(directory!, file!),
        };
    }

    public async ValueTask<SendResult> SendAsync(ReadOnlyMemory<byte> ndjson, int count, CancellationToken cancellationToken)
    {
        _stream ??= Open();
        await _stream.WriteAsync(ndjson, cancellationToken);
        if (!ndjson.Span.EndsWith((byte)'\n'))
        {
            _stream.WriteByte((byte)'\n');
        }
        _stream.Flush(flushToDisk: _sync == SyncPolicy.Full);
        return SendResult.Ok(count);
    }

    public ValueTask DisposeAsync() => _stream?.DisposeAsync() ?? ValueTask.CompletedTask;
}
