using System.Text;
using Google.Protobuf.WellKnownTypes;
using Kansoku.Api.Contracts.Loki;

namespace Kansoku.Bench.Loadgen;

/// <summary>
/// One CRI log file (<c>{pod}_{namespace}_{container}-{id}.log</c>) read into push requests: its stdout and stderr are
/// two streams labelled like the agent labels them; partial (P) lines are joined.
/// </summary>
internal sealed class ContainerLog : IDisposable
{
    private readonly LineReader _reader;
    private readonly string _stdoutLabels;
    private readonly string _stderrLabels;
    private readonly List<byte> _partialStdout = [];
    private readonly List<byte> _partialStderr = [];

    public ContainerLog(string path)
    {
        _reader = new LineReader(path);
        var name = Path.GetFileNameWithoutExtension(path);
        var parts = name.Split('_', 3);
        var dash = parts.Length == 3 ? parts[2].LastIndexOf('-') : -1;
        if (dash <= 0)
        {
            throw new FormatException($"{path}: expected a CRI log file named {{pod}}_{{namespace}}_{{container}}-{{id}}.log");
        }
        var labels = $"container=\"{parts[2][..dash]}\", namespace=\"{parts[1]}\", pod=\"{parts[0]}\"";
        _stdoutLabels = $"{{{labels}, stream=\"stdout\"}}";
        _stderrLabels = $"{{{labels}, stream=\"stderr\"}}";
    }

    public bool Finished { get; private set; }

    public long SkippedLines { get; private set; }

    /// <summary>Reads lines until they hold <paramref name="batchBytes"/> (or the file ends) into one request.</summary>
    public PushRequest NextRequest(int batchBytes, out int lines, out int rawBytes)
    {
        var stdout = new StreamAdapter { Labels = _stdoutLabels };
        var stderr = new StreamAdapter { Labels = _stderrLabels };
        lines = 0;
        rawBytes = 0;
        while (rawBytes < batchBytes)
        {
            if (!_reader.TryReadLine(out var line))
            {
                Finished = true;
                break;
            }
            if (!CriLine.TryParse(line, out var cri))
            {
                SkippedLines++;
                continue;
            }
            var partial = cri.Stderr ? _partialStderr : _partialStdout;
            if (cri.Partial)
            {
                partial.AddRange(cri.Message);
                continue;
            }
            string text;
            if (partial.Count > 0)
            {
                partial.AddRange(cri.Message);
                text = Encoding.UTF8.GetString([.. partial]);
                partial.Clear();
            }
            else
            {
                text = Encoding.UTF8.GetString(cri.Message);
            }
            var timestamp = new Timestamp { Seconds = cri.UnixNano / 1_000_000_000, Nanos = (int)(cri.UnixNano % 1_000_000_000) };
            (cri.Stderr ? stderr : stdout).Entries.Add(new EntryAdapter { Timestamp = timestamp, Line = text });
            lines++;
            rawBytes += line.Length + 1;
        }
        var request = new PushRequest();
        foreach (var stream in (ReadOnlySpan<StreamAdapter>)[stdout, stderr])
        {
            if (stream.Entries.Count > 0)
            {
                request.Streams.Add(stream);
            }
        }
        return request;
    }

    public void Dispose() => _reader.Dispose();
}
