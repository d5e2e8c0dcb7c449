using System.Buffers;
using BenchmarkDotNet.Attributes;
using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Index;
using Kansoku.LogStore.Parts.Shapes;
using ZstdSharp;

namespace Kansoku.Benchmarks.LogStore;

/// <summary>What writing a part costs per block, by step: token filter, splitting JSON lines into fields, zstd.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class BlockEncodingBenchmarks : IDisposable
{
    private const int SampleBytes = 16 << 20;

    private List<(byte[] Lines, int[] Lengths)> _blocks = [];
    private readonly ArrayBufferWriter<byte> _filters = new(1 << 20);
    private readonly BlockShaper _shaper = new();
    private readonly ByteBuffer _column = new(1 << 20);
    private readonly ByteBuffer _paths = new(1024);
    private readonly ByteBuffer _path = new(1024);
    private readonly Compressor _compressor = new(3);
    private readonly byte[] _compressed = new byte[Compressor.GetCompressBound(1 << 20)];

    [GlobalSetup]
    public void Setup() => _blocks = SampleLogs.Blocks(SampleBytes);

    [GlobalCleanup]
    public void Dispose()
    {
        _shaper.Dispose();
        _column.Dispose();
        _paths.Dispose();
        _path.Dispose();
        _compressor.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Description = "token filter, 16 MiB")]
    public long TokenFilters()
    {
        long bits = 0;
        foreach (var (lines, lengths) in _blocks)
        {
            _filters.Clear();
            bits += TokenFilter.Build(lines, lengths, _filters);
        }
        return bits;
    }

    [Benchmark(Description = "find the leaves of JSON lines, 16 MiB")]
    public long Split()
    {
        long leaves = 0;
        var found = new List<JsonLeaf>();
        foreach (var (lines, lengths) in _blocks)
        {
            var start = 0;
            foreach (var length in lengths)
            {
                if (JsonLineSplitter.TrySplit(lines.AsSpan(start, length), found, _paths, _path))
                {
                    leaves += found.Count;
                }
                start += length;
            }
        }
        return leaves;
    }

    [Benchmark(Description = "split into fields and write columns, 16 MiB")]
    public long Shape()
    {
        long bytes = 0;
        foreach (var (lines, lengths) in _blocks)
        {
            ShapeBlock(lines, lengths);
            _column.Clear();
            _shaper.WriteLines(_column);
            _shaper.WriteShapes(_column);
            for (var f = 0; f < _shaper.FieldCount; f++)
            {
                _shaper.WriteValues(f, _column);
            }
            bytes += _column.Length;
        }
        return bytes;
    }

    [Benchmark(Description = "zstd -3 of whole lines, 16 MiB")]
    public long CompressLines()
    {
        long bytes = 0;
        foreach (var (lines, _) in _blocks)
        {
            bytes += _compressor.Wrap(lines, _compressed);
        }
        return bytes;
    }

    [Benchmark(Description = "zstd -3 of field columns, 16 MiB")]
    public long CompressColumns()
    {
        long bytes = 0;
        foreach (var (lines, lengths) in _blocks)
        {
            ShapeBlock(lines, lengths);
            bytes += Compress(_shaper.WriteLines);
            bytes += Compress(_shaper.WriteShapes);
            for (var f = 0; f < _shaper.FieldCount; f++)
            {
                var field = f;
                bytes += Compress(column => _shaper.WriteValues(field, column));
            }
        }
        return bytes;
    }

    private void ShapeBlock(byte[] lines, int[] lengths)
    {
        _shaper.Clear();
        var start = 0;
        foreach (var length in lengths)
        {
            _shaper.Add(lines.AsSpan(start, length));
            start += length;
        }
    }

    private int Compress(Action<ByteBuffer> write)
    {
        _column.Clear();
        write(_column);
        return _compressor.Wrap(_column.Span, _compressed);
    }
}
