using Kansoku.Agent.Checkpoints;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Inputs.Tail;

/// <summary>
/// Follows files matched by globs: CRI, docker json-file or plain lines, detected per file. Files are followed by
/// device + inode, so a kubelet rotation (rename to <c>N.log.&lt;stamp&gt;</c>, new <c>N.log</c>) is seen as a new file
/// while the renamed one is read to its end; copytruncate is seen as the file getting shorter. Positions reach the
/// checkpoint only through the batches' acknowledgement (<see cref="BatchCommitter"/>).
/// </summary>
internal sealed partial class TailInput : IDisposable
{
    private const int ChunkSize = 256 * 1024;

    private readonly TailOptions _options;
    private readonly TailContext _context;
    private readonly Checkpointer _checkpointer;
    private readonly BatchBuilder _builder;
    private readonly ComponentCounters _counters;
    private readonly AgentLog _log;
    private readonly TimeProvider _time;
    private readonly List<TailedFile> _files = [];
    private readonly byte[] _chunk = new byte[ChunkSize];
    private readonly ByteBuffer _scratch = new(16 * 1024);
    private readonly List<string> _globbed = [];
    private readonly List<LogRecord> _completed = [];
    private long _lastDiscovery;
    private bool _started;
    private long _malformedLines;
    private long _skippedBytes;

    public TailInput(TailOptions options, TailContext context, Checkpointer checkpointer, BatchBuilder builder, ComponentCounters counters, AgentLog log, TimeProvider time)
    {
        _options = options;
        _context = context;
        _checkpointer = checkpointer;
        _builder = builder;
        _counters = counters;
        _log = log;
        _time = time;
    }

    public ComponentCounters Counters => _counters;

    /// <summary>Lines that were not valid for their file's format (skipped, as the kubelet does).</summary>
    public long MalformedLines => _malformedLines;

    /// <summary>Bytes of over-long lines skipped by Skip_Long_Lines; stays 0 unless the user asked for skipping.</summary>
    public long SkippedBytes => _skippedBytes;

    public int OpenFiles => _files.Count;

    /// <summary>
    /// Follows the files until cancelled. With <paramref name="once"/>, reads every matched file to its end, flushes
    /// what is held back, seals the last batch and returns.
    /// </summary>
    public async Task RunAsync(bool once, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!_started || _time.GetElapsedTime(_lastDiscovery) >= _options.RefreshInterval)
            {
                Discover();
            }
            var progressed = false;
            for (var i = 0; i < _files.Count; i++)
            {
                var file = _files[i];
                RefreshMetadata(file);
                var read = ReadAvailable(file);
                if (read > 0)
                {
                    progressed = true;
                    file.LastGrowth = _time.GetTimestamp();
                    _builder.SetPosition(file.Cursor, file.SafeOffset());
                    await _builder.SealIfDueAsync(cancellationToken);
                }
            }
            if (progressed)
            {
                continue;
            }
            if (once)
            {
                foreach (var file in _files)
                {
                    FlushHeldBack(file);
                }
                CloseFinished(force: true);
                await _builder.SealAsync(cancellationToken);
                return;
            }
            FlushIdle();
            CloseFinished(force: false);
            await _builder.SealIfDueAsync(cancellationToken);
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        // Graceful stop: hand on what is complete; lines still held back are re-read after a restart.
        await _builder.SealAsync(CancellationToken.None);
    }

    private void RefreshMetadata(TailedFile file)
    {
        var provider = _context.Metadata;
        if (provider is null || provider.Version == file.MetadataVersion)
        {
            return;
        }
        file.MetadataVersion = provider.Version;
        file.Metadata = provider.Lookup(file.Path);
        file.StdoutParser = ChooseParser(file, LogStream.Stdout);
        file.StderrParser = ChooseParser(file, LogStream.Stderr);
        file.StdoutExcluded = file.Metadata is { } metadata && _context.IsExcluded?.Invoke(metadata, LogStream.Stdout) == true;
        file.StderrExcluded = file.Metadata is { } stderrMetadata && _context.IsExcluded?.Invoke(stderrMetadata, LogStream.Stderr) == true;
    }

    private Parsers.IContentParser? ChooseParser(TailedFile file, LogStream stream)
    {
        if (file.Metadata is { } metadata && _context.AnnotatedParser?.Invoke(metadata, stream) is { } annotated)
        {
            var parser = _context.ResolveParser(annotated);
            if (parser is not null)
            {
                return parser;
            }
            _log.Warn($"{file.Path}: pod annotation names parser '{annotated}', which is not defined; using the input's");
        }
        if (_options.Parser is { } named)
        {
            return _context.ResolveParser(named);
        }
        return _context.MergeLogParser;
    }

    public void Dispose()
    {
        foreach (var file in _files)
        {
            file.Dispose();
        }
        _files.Clear();
        _scratch.Dispose();
    }
}
