using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Kansoku.Agent.Inputs.Tail;
using Kansoku.Agent.Parsers;
using Kansoku.Agent.Pipeline;
using Kansoku.Core.Labels;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// Reads one container instance's files in order (rotated ones, gzip'd or not, then <c>N.log</c>), takes the runtime's
/// wrapper off each line with the agent's decoders (CRI, docker json-file), joins split lines per stream, and returns
/// the lines the selection wants. Following, it stays at the end of <c>N.log</c>, moves to the new file after a
/// rotation and to <c>N+1.log</c> after a restart.
/// </summary>
internal sealed class ContainerLogReader : IDisposable
{
    private readonly string _directory;
    private readonly LabelSet _stdout;
    private readonly LabelSet _stderr;
    private readonly bool _selectStdout;
    private readonly bool _selectStderr;
    private readonly long _since;
    private readonly Regex? _grep;
    private readonly bool _follow;
    private readonly Queue<string> _files;
    private readonly Queue<LogLine> _ready = new();
    private readonly PartialLine _stdoutPartial = new();
    private readonly PartialLine _stderrPartial = new();
    private readonly ByteBuffer _scratch = new(16 * 1024);
    private char[] _chars = [];
    private int _restart;
    private string? _path;
    private LineSplitter? _reader;
    private FileIdentity _identity;
    private ContainerLogFormat? _format;
    /// <summary>Set once the live file was seen replaced: read the old one to its end, then open these.</summary>
    private List<string>? _afterDrain;

    public ContainerLogReader(ContainerLogFiles container, int restart, LogSelection selection, long? since, bool follow)
    {
        _directory = container.Directory;
        _stdout = container.Labels.With("stream", "stdout");
        _stderr = container.Labels.With("stream", "stderr");
        _selectStdout = selection.Matches(_stdout);
        _selectStderr = selection.Matches(_stderr);
        _since = since ?? long.MinValue;
        _grep = selection.GrepRegex;
        _follow = follow;
        _restart = restart;
        _files = new Queue<string>(container.FilesOf(restart));
    }

    /// <summary>Whether the selection wants either of the container's streams.</summary>
    public bool Selected => _selectStdout || _selectStderr;

    /// <summary>The container's directory is gone (the pod was deleted) and everything was read.</summary>
    public bool Gone => _ready.Count == 0 && !Directory.Exists(_directory);

    /// <summary>The next wanted line available now; false at the end (following: until more is written).</summary>
    public bool TryRead(out LogLine line)
    {
        while (true)
        {
            if (_ready.TryDequeue(out line))
            {
                return true;
            }
            if (_reader is null && !OpenNext())
            {
                if (_follow)
                {
                    if (NewerInstance() is not { } files)
                    {
                        return false;
                    }
                    foreach (var file in files)
                    {
                        _files.Enqueue(file);
                    }
                    continue;
                }
                FlushPartials();
                if (_ready.Count > 0)
                {
                    continue;
                }
                return false;
            }
            if (_reader!.TryReadLine(out var raw))
            {
                Decode(raw);
                continue;
            }
            if (_files.Count > 0 || !_follow)
            {
                // A rotated file is complete: a last line without '\n' is still a line. The live file's is being written.
                if (_files.Count > 0 && !_reader.Remainder.IsEmpty)
                {
                    Decode(_reader.Remainder);
                }
                Close();
                continue;
            }
            if (_afterDrain is not null)
            {
                Close();
                foreach (var file in _afterDrain)
                {
                    _files.Enqueue(file);
                }
                _afterDrain = null;
                continue;
            }
            if (!NoticeReplacement())
            {
                return false;
            }
        }
    }

    /// <summary>At the end of the live file: has the container restarted, or has the file been rotated?</summary>
    private bool NoticeReplacement()
    {
        _afterDrain = NewerInstance();
        if (_afterDrain is null && _path is not null && FileIdentity.OfPath(_path) is { } now && now != _identity)
        {
            _afterDrain = [_path];
        }
        return _afterDrain is not null;
    }

    /// <summary>The files of an instance newer than the one being read, which becomes the one being read; null if none.</summary>
    private List<string>? NewerInstance()
    {
        var current = ContainerLogFiles.Read(_directory);
        if (current is null || current.Current <= _restart)
        {
            return null;
        }
        // The old instance ended: a split line it left open will not be continued.
        FlushPartials();
        _restart = current.Current;
        return current.FilesOf(_restart);
    }

    private bool OpenNext()
    {
        while (_files.TryDequeue(out var path))
        {
            FileStream file;
            try
            {
                file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Rotated away (or compressed and deleted) between listing and opening.
                continue;
            }
            _identity = FileIdentity.Of(file.SafeFileHandle);
            _path = path;
            _format = null;
            Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
            _reader = new LineSplitter(stream);
            return true;
        }
        return false;
    }

    private void Close()
    {
        _reader?.Dispose();
        _reader = null;
    }

    private void Decode(ReadOnlyMemory<byte> raw)
    {
        if (_format is null)
        {
            if (raw.IsEmpty)
            {
                return;
            }
            _format = ContainerLineDecoder.Detect(raw.Span);
        }
        if (!ContainerLineDecoder.TryDecode(_format.Value, raw, _scratch, TimeProvider.System, out var decoded))
        {
            return;
        }
        var stderr = decoded.Stream == LogStream.Stderr;
        var partial = stderr ? _stderrPartial : _stdoutPartial;
        if (decoded.Partial)
        {
            partial.Append(decoded.Content.Span, 0, decoded.TimeUnixNano);
            return;
        }
        if (partial.IsActive)
        {
            partial.Append(decoded.Content.Span, 0, decoded.TimeUnixNano);
            Select(stderr, partial.TimeUnixNano, partial.Content.Span);
            partial.Reset();
            return;
        }
        Select(stderr, decoded.TimeUnixNano, decoded.Content.Span);
    }

    /// <summary>Lines split by the runtime whose last piece never came: printed as they are.</summary>
    private void FlushPartials()
    {
        foreach (var (partial, stderr) in (ReadOnlySpan<(PartialLine, bool)>)[(_stdoutPartial, false), (_stderrPartial, true)])
        {
            if (partial.IsActive)
            {
                Select(stderr, partial.TimeUnixNano, partial.Content.Span);
                partial.Reset();
            }
        }
    }

    private void Select(bool stderr, long time, ReadOnlySpan<byte> content)
    {
        if (!(stderr ? _selectStderr : _selectStdout) || time < _since || (_grep is not null && !Matches(_grep, content)))
        {
            return;
        }
        _ready.Enqueue(new LogLine(time, stderr ? _stderr : _stdout, content.ToArray()));
    }

    private bool Matches(Regex regex, ReadOnlySpan<byte> content)
    {
        var count = Encoding.UTF8.GetCharCount(content);
        if (_chars.Length < count)
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }
            _chars = ArrayPool<char>.Shared.Rent(count);
        }
        var written = Encoding.UTF8.GetChars(content, _chars);
        return regex.IsMatch(_chars.AsSpan(0, written));
    }

    public void Dispose()
    {
        Close();
        _stdoutPartial.Dispose();
        _stderrPartial.Dispose();
        _scratch.Dispose();
        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
        }
    }
}
