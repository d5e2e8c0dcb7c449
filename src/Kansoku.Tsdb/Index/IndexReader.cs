using System.Buffers.Binary;
using System.IO.Hashing;
using Kansoku.Core.Labels;
using Kansoku.Tsdb.Blocks;
using Kansoku.Tsdb.Encoding;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.Tsdb.Index;

/// <summary>
/// Reads a block's index (<see cref="IndexWriter"/>). Symbols and the postings table are loaded at open; series
/// entries and postings lists are read with positioned reads when a query needs them. Thread-safe.
/// </summary>
internal sealed class IndexReader : IPostingsIndex, IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string[] _symbols;
    private readonly Dictionary<string, PostingsRange> _byName = new(StringComparer.Ordinal);
    private readonly string[] _names;
    private readonly long _seriesTable;
    private readonly long _allPostings;
    private readonly long _postingsTable;
    private readonly byte _version;
    private readonly long _seriesStart;
    private readonly long _baseTime;

    public IndexReader(string path)
    {
        _handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(_handle);
            var toc = ReadAt(length - IndexFormat.TocBytes, IndexFormat.TocBytes);
            if (Crc32.HashToUInt32(toc.AsSpan(0, 48)) != BinaryPrimitives.ReadUInt32LittleEndian(toc.AsSpan(48)))
            {
                throw new InvalidDataException($"{path}: table of contents fails its checksum");
            }
            var seriesStart = (long)BinaryPrimitives.ReadUInt64LittleEndian(toc);
            _seriesTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(toc.AsSpan(8));
            SeriesCount = (int)BinaryPrimitives.ReadUInt64LittleEndian(toc.AsSpan(16));
            _allPostings = (long)BinaryPrimitives.ReadUInt64LittleEndian(toc.AsSpan(24));
            _postingsTable = (long)BinaryPrimitives.ReadUInt64LittleEndian(toc.AsSpan(32));
            var symbolCount = (int)BinaryPrimitives.ReadUInt64LittleEndian(toc.AsSpan(40));

            _version = ReadAt(IndexFormat.Magic.Length, 1)[0];
            if (_version is not (1 or IndexFormat.Version))
            {
                throw new InvalidDataException($"{path}: index version {_version} is not known");
            }
            _seriesStart = seriesStart;
            var symbolBytes = ReadAt(IndexFormat.HeaderBytes, (int)(seriesStart - IndexFormat.HeaderBytes));
            var symbols = new ByteReader(symbolBytes);
            if (symbols.ReadLength() != symbolCount)
            {
                throw new InvalidDataException($"{path}: symbol count disagrees with the table of contents");
            }
            _symbols = new string[symbolCount];
            for (var i = 0; i < symbolCount; i++)
            {
                _symbols[i] = symbols.ReadString();
            }
            _baseTime = _version == 1 ? 0 : symbols.ReadVarint();
            _names = LoadPostingsTable((int)(length - IndexFormat.TocBytes - _postingsTable));
        }
        catch
        {
            _handle.Dispose();
            throw;
        }
    }

    public int SeriesCount { get; }

    public IReadOnlyList<string> Symbols => _symbols;

    public ulong[] Postings(string name, string value)
    {
        if (!_byName.TryGetValue(name, out var range))
        {
            return [];
        }
        var index = Array.BinarySearch(range.Values, value, StringComparer.Ordinal);
        return index < 0 ? [] : ReadPostings(range.Offsets[index], range.Lengths[index]);
    }

    public ulong[] AllPostings() => _version != 1 ? AllIds() : ReadPostings(_allPostings, (int)(_byName.Count == 0 ? _postingsTable - _allPostings : FirstPostingsOffset() - _allPostings));

    public string[] Values(string name) => _byName.TryGetValue(name, out var range) ? range.Values : [];

    public string[] Names() => _names;

    /// <summary>The labels and chunk metas of series <paramref name="id"/>.</summary>
    public (LabelSet Labels, ChunkMeta[] Chunks) Series(ulong id)
    {
        long start, end;
        if (_version == 1)
        {
            var offsets = ReadAt(_seriesTable + ((long)id * 8), 16);
            start = (long)BinaryPrimitives.ReadUInt64LittleEndian(offsets);
            end = (long)BinaryPrimitives.ReadUInt64LittleEndian(offsets.AsSpan(8));
        }
        else
        {
            var offsets = ReadAt(_seriesTable + ((long)id * 4), 8);
            start = _seriesStart + BinaryPrimitives.ReadUInt32LittleEndian(offsets);
            end = _seriesStart + BinaryPrimitives.ReadUInt32LittleEndian(offsets.AsSpan(4));
        }
        var reader = new ByteReader(ReadAt(start, (int)(end - start)));
        var labels = new Label[reader.ReadLength()];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = new Label(_symbols[reader.ReadLength()], _symbols[reader.ReadLength()]);
        }
        var chunks = new ChunkMeta[reader.ReadLength()];
        var previousMax = _baseTime;
        long previousReference = 0;
        for (var i = 0; i < chunks.Length; i++)
        {
            var min = previousMax + reader.ReadVarint();
            var max = min + (long)reader.ReadUVarint();
            var reference = previousReference + reader.ReadVarint();
            chunks[i] = new ChunkMeta(min, max, reference);
            previousMax = max;
            previousReference = reference;
        }
        return (LabelSet.From(labels), chunks);
    }

    public void Dispose() => _handle.Dispose();

    private ulong[] AllIds()
    {
        var ids = new ulong[SeriesCount];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = (ulong)i;
        }
        return ids;
    }

    private long FirstPostingsOffset()
    {
        var first = long.MaxValue;
        foreach (var range in _byName.Values)
        {
            first = Math.Min(first, range.Offsets[0]);
        }
        return first;
    }

    private string[] LoadPostingsTable(int length)
    {
        var reader = new ByteReader(ReadAt(_postingsTable, length));
        var count = reader.ReadLength();
        var building = new Dictionary<string, (List<string> Values, List<long> Offsets, List<int> Lengths)>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = _symbols[reader.ReadLength()];
            var value = _symbols[reader.ReadLength()];
            var offset = (long)reader.ReadUVarint();
            var size = reader.ReadLength();
            if (!building.TryGetValue(name, out var lists))
            {
                lists = ([], [], []);
                building.Add(name, lists);
            }
            lists.Values.Add(value);
            lists.Offsets.Add(offset);
            lists.Lengths.Add(size);
        }
        foreach (var (name, lists) in building)
        {
            _byName.Add(name, new PostingsRange([.. lists.Values], [.. lists.Offsets], [.. lists.Lengths]));
        }
        var names = new string[_byName.Count];
        _byName.Keys.CopyTo(names, 0);
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    private ulong[] ReadPostings(long offset, int length)
    {
        var reader = new ByteReader(ReadAt(offset, length));
        var ids = new ulong[reader.ReadLength()];
        ulong previous = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            previous += reader.ReadUVarint();
            ids[i] = previous;
        }
        return ids;
    }

    private byte[] ReadAt(long offset, int length)
    {
        var bytes = new byte[length];
        if (RandomAccess.Read(_handle, bytes, offset) != length)
        {
            throw new InvalidDataException($"index section at {offset} runs past the end of the file");
        }
        return bytes;
    }

    /// <summary>One label name's values (sorted, as written) and where their postings lists are.</summary>
    private sealed record PostingsRange(string[] Values, long[] Offsets, int[] Lengths);
}
