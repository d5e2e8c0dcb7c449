using System.Buffers.Binary;
using System.IO.Hashing;
using Kansoku.LogStore.Binary;
using Kansoku.LogStore.Index;
using Microsoft.Win32.SafeHandles;
using ZstdSharp;

namespace Kansoku.LogStore.Parts;

/// <summary>
/// An immutable part file, open for reading: its index is in memory, blocks and filters are read with positional reads
/// on demand. Reference-counted: the partition state holds one reference, every reader that may read it one more;
/// the file handle closes when the last is released (a retired part's file is deleted at once: Linux keeps it readable
/// through the open handle).
/// </summary>
internal sealed class Part : RefCounted
{
    private const int MaxIndexBytes = 1 << 30;

    private readonly SafeFileHandle _handle;
    private readonly Dictionary<int, PartStream> _byStreamId;

    private Part(string path, long firstSequence, long lastSequence, long fileBytes, SafeFileHandle handle, PartStream[] streams)
    {
        Path = path;
        FirstSequence = firstSequence;
        LastSequence = lastSequence;
        FileBytes = fileBytes;
        _handle = handle;
        Streams = streams;
        _byStreamId = new Dictionary<int, PartStream>(streams.Length);
        MinTimestamp = long.MaxValue;
        MaxTimestamp = long.MinValue;
        foreach (var stream in streams)
        {
            _byStreamId[stream.StreamId] = stream;
            MinTimestamp = Math.Min(MinTimestamp, stream.MinTimestamp);
            MaxTimestamp = Math.Max(MaxTimestamp, stream.MaxTimestamp);
            Entries += stream.Entries;
            RawBytes += stream.RawBytes;
        }
    }

    public string Path { get; }
    public string FileName => System.IO.Path.GetFileName(Path);
    public long FirstSequence { get; }
    public long LastSequence { get; }
    public long FileBytes { get; }
    public PartStream[] Streams { get; }
    public long MinTimestamp { get; }
    public long MaxTimestamp { get; }
    public long Entries { get; }
    public long RawBytes { get; }

    /// <summary>Opens and validates a part file, registering its streams. Throws <see cref="InvalidDataException"/> if corrupt.</summary>
    public static Part Open(string path, StreamRegistry registry)
    {
        if (!PartFile.TryParseName(System.IO.Path.GetFileName(path), out var first, out var last))
        {
            throw new InvalidDataException("not a part file name");
        }
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var length = RandomAccess.GetLength(handle);
            var streams = ReadIndex(handle, length);
            foreach (var stream in streams)
            {
                stream.StreamId = registry.GetOrAdd(stream.Labels);
            }
            return new Part(path, first, last, length, handle, streams);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public PartStream? Find(int streamId) => _byStreamId.GetValueOrDefault(streamId);

    protected override void Free() => _handle.Dispose();

    /// <summary>Drops the state's reference, deleting the file first when <paramref name="delete"/>.</summary>
    public void Retire(bool delete)
    {
        if (delete)
        {
            try
            {
                File.Delete(Path);
            }
            catch (IOException)
            {
                // Deleted with its partition directory, or the disk is gone: nothing more to do for this part.
            }
        }
        Release();
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes at <paramref name="offset"/>.</summary>
    public void Read(long offset, Span<byte> destination) => ReadExactly(_handle, destination, offset);

    private static PartStream[] ReadIndex(SafeFileHandle handle, long length)
    {
        if (length < PartFile.HeaderBytes + PartFile.FooterBytes)
        {
            throw new InvalidDataException("file too short for a part");
        }
        Span<byte> header = stackalloc byte[PartFile.HeaderBytes];
        ReadExactly(handle, header, 0);
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (!header[..8].SequenceEqual(PartFile.HeaderMagic))
        {
            throw new InvalidDataException("bad part header magic");
        }
        if (version < PartFile.OldestReadableVersion || version > PartFile.Version)
        {
            throw new InvalidDataException($"part format version {version}; this build reads {PartFile.OldestReadableVersion} to {PartFile.Version}");
        }
        Span<byte> footer = stackalloc byte[PartFile.FooterBytes];
        ReadExactly(handle, footer, length - PartFile.FooterBytes);
        if (!footer[24..].SequenceEqual(PartFile.FooterMagic))
        {
            throw new InvalidDataException("bad part footer magic (incomplete file?)");
        }
        var indexOffset = (long)BinaryPrimitives.ReadUInt64LittleEndian(footer);
        var storedLength = BinaryPrimitives.ReadUInt32LittleEndian(footer[8..]);
        var rawLength = BinaryPrimitives.ReadUInt32LittleEndian(footer[12..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(footer[16..]);
        var codec = (ColumnCodec)footer[20];
        var dataEnd = length - PartFile.FooterBytes;
        if (indexOffset < PartFile.HeaderBytes || storedLength > MaxIndexBytes || rawLength > MaxIndexBytes
            || indexOffset + storedLength != dataEnd)
        {
            throw new InvalidDataException("part footer points outside the file");
        }
        var stored = new byte[storedLength];
        ReadExactly(handle, stored, indexOffset);
        if (Crc32.HashToUInt32(stored) != crc)
        {
            throw new InvalidDataException("part index CRC mismatch");
        }
        var raw = Decode(stored, codec, (int)rawLength);
        return ParseIndex(raw, indexOffset);
    }

    private static byte[] Decode(byte[] stored, ColumnCodec codec, int rawLength)
    {
        switch (codec)
        {
            case ColumnCodec.None:
                return stored;
            case ColumnCodec.Zstd:
                var raw = new byte[rawLength];
                using (var decompressor = new Decompressor())
                {
                    if (decompressor.Unwrap(stored, raw) != rawLength)
                    {
                        throw new InvalidDataException("part index length mismatch");
                    }
                }
                return raw;
            default:
                throw new InvalidDataException($"unknown index codec {codec}");
        }
    }

    private static PartStream[] ParseIndex(ReadOnlySpan<byte> raw, long dataEnd)
    {
        var reader = new ByteReader(raw);
        if (reader.ReadVarint() != PartFile.IndexVersion)
        {
            throw new InvalidDataException("unknown part index version");
        }
        var streamCount = reader.ReadLength(reader.Remaining);
        reader.ReadZigZag();
        reader.ReadZigZag();
        reader.ReadVarint();
        var streams = new PartStream[streamCount];
        for (var s = 0; s < streamCount; s++)
        {
            var labels = LabelCodec.Read(ref reader);
            var blockCount = reader.ReadLength(reader.Remaining);
            if (blockCount == 0)
            {
                throw new InvalidDataException("stream without blocks");
            }
            var blocks = new BlockMeta[blockCount];
            var minTimestamp = reader.ReadZigZag();
            for (var b = 0; b < blockCount; b++)
            {
                blocks[b] = ReadBlock(ref reader, ref minTimestamp, dataEnd);
            }
            streams[s] = new PartStream(labels, blocks);
        }
        return streams;
    }

    private static BlockMeta ReadBlock(ref ByteReader reader, ref long minTimestamp, long dataEnd)
    {
        minTimestamp = checked(minTimestamp + reader.ReadOffset());
        var maxTimestamp = checked(minTimestamp + reader.ReadOffset());
        var entries = reader.ReadLength();
        var rawBytes = reader.ReadLength();
        var dataOffset = reader.ReadOffset();
        var dataLength = reader.ReadLength();
        var dataCrc = reader.ReadUInt32();
        var columnCount = reader.ReadLength(255);
        ColumnRef? timestamps = null;
        ColumnRef? lines = null;
        ColumnRef? shapes = null;
        List<ColumnRef>? fields = null;
        var columnOffset = 0;
        for (var c = 0; c < columnCount; c++)
        {
            var kind = (ColumnKind)reader.ReadByte();
            var codec = (ColumnCodec)reader.ReadByte();
            var stored = reader.ReadLength();
            var rawLength = reader.ReadLength();
            var column = new ColumnRef(columnOffset, stored, rawLength, codec);
            columnOffset = checked(columnOffset + stored);
            if (kind == ColumnKind.Timestamps)
            {
                timestamps = column;
            }
            else if (kind == ColumnKind.Lines)
            {
                lines = column;
            }
            else if (kind == ColumnKind.Shapes)
            {
                shapes = column;
            }
            else if (kind == ColumnKind.FieldValues)
            {
                (fields ??= []).Add(column);
            }
        }
        var filterLog2 = reader.ReadByte();
        var filterOffset = reader.ReadOffset();
        var filterCrc = reader.ReadUInt32();
        if (timestamps is null || lines is null || (fields is not null && shapes is null) || columnOffset != dataLength || dataOffset < PartFile.HeaderBytes
            || dataOffset + dataLength > dataEnd || entries == 0
            || (filterLog2 != 0 && (filterLog2 < TokenFilter.MinLog2Bits || filterLog2 > TokenFilter.MaxLog2Bits
                || filterOffset + TokenFilter.ByteLength(filterLog2) > dataEnd)))
        {
            throw new InvalidDataException("block metadata out of range");
        }
        return new BlockMeta(minTimestamp, maxTimestamp, entries, rawBytes, dataOffset, dataLength, dataCrc,
            timestamps.Value, lines.Value, shapes, fields is null ? [] : [.. fields], filterOffset, filterLog2, filterCrc);
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (destination.Length > 0)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read <= 0)
            {
                throw new InvalidDataException("unexpected end of part file");
            }
            destination = destination[read..];
            offset += read;
        }
    }
}
