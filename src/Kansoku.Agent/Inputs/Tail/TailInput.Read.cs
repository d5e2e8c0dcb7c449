using Kansoku.Agent.Parsers;
using Kansoku.Agent.Parsers.Multiline;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Inputs.Tail;

internal sealed partial class TailInput
{
    /// <summary>Reads what the file has beyond <see cref="TailedFile.ReadOffset"/>, one chunk, and processes its lines.</summary>
    private int ReadAvailable(TailedFile file)
    {
        int read;
        try
        {
            read = RandomAccess.Read(file.Handle, _chunk, file.ReadOffset);
            if (read == 0)
            {
                if (RandomAccess.GetLength(file.Handle) < file.ReadOffset)
                {
                    _log.Warn($"{file.Path}: truncated (copytruncate); reading again from the start");
                    file.ResetAfterTruncation();
                    _builder.SetPosition(file.Cursor, 0);
                }
                return 0;
            }
        }
        catch (IOException e)
        {
            _log.Warn($"{file.Path}: read failed: {e.Message}");
            return 0;
        }

        var chunkStart = file.ReadOffset;
        file.ReadOffset += read;
        var memory = _chunk.AsMemory(0, read);
        var position = chunkStart;

        if (file.HasCarry || file.SkippingLongLine)
        {
            var newline = memory.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendCarry(file, memory.Span, position);
                return read;
            }
            var end = position + newline + 1;
            if (file.SkippingLongLine)
            {
                _skippedBytes += newline + 1;
                file.SkippingLongLine = false;
            }
            else
            {
                file.AppendCarry(memory.Span[..newline], position);
                var lineStart = file.CarryStart;
                ProcessLine(file, file.CarryMemory, lineStart, end, inCarry: true);
                file.ClearCarry();
            }
            memory = memory[(newline + 1)..];
            position = end;
        }

        while (!memory.IsEmpty)
        {
            var newline = memory.Span.IndexOf((byte)'\n');
            if (newline < 0)
            {
                AppendCarry(file, memory.Span, position);
                break;
            }
            ProcessLine(file, memory[..newline], position, position + newline + 1);
            memory = memory[(newline + 1)..];
            position += newline + 1;
        }
        // The next read overwrites the chunk the held lines point into.
        file.StdoutLines?.DetachHeldContent();
        file.StderrLines?.DetachHeldContent();
        if (file.Cursor.FingerprintLength < FileFingerprint.MaxLength && file.ReadOffset > file.Cursor.FingerprintLength)
        {
            var fingerprint = FileFingerprint.Read(file.Handle);
            file.Cursor.FingerprintHash = fingerprint.Hash;
            file.Cursor.FingerprintLength = fingerprint.Length;
        }
        return read;
    }

    /// <summary>Keeps an incomplete last line for the next read; a line past Buffer_Max_Size is cut or skipped.</summary>
    private void AppendCarry(TailedFile file, ReadOnlySpan<byte> bytes, long position)
    {
        if (file.SkippingLongLine)
        {
            _skippedBytes += bytes.Length;
            return;
        }
        var carried = file.HasCarry ? file.Carry.Length : 0;
        if (carried + bytes.Length <= _options.BufferMaxSize)
        {
            file.AppendCarry(bytes, position);
            return;
        }
        if (_options.SkipLongLines)
        {
            _skippedBytes += carried + bytes.Length;
            file.ClearCarry();
            file.SkippingLongLine = true;
            _log.Warn($"{file.Path}: a line longer than Buffer_Max_Size ({_options.BufferMaxSize} bytes) was skipped (Skip_Long_Lines On)");
            return;
        }
        // Cut: the first Buffer_Max_Size bytes become a line of their own, the rest starts the next piece.
        var take = _options.BufferMaxSize - carried;
        file.AppendCarry(bytes[..take], position);
        var lineStart = file.CarryStart;
        ProcessLine(file, file.CarryMemory, lineStart, position + take, inCarry: true);
        file.ClearCarry();
        AppendCarry(file, bytes[take..], position + take);
    }

    private void ProcessLine(TailedFile file, ReadOnlyMemory<byte> line, long start, long end, bool inCarry = false)
    {
        if (line.Length > _options.BufferMaxSize)
        {
            ProcessLongLine(file, line, start, end, inCarry);
            return;
        }
        if (file.Format == Parsers.ContainerLogFormat.Unknown)
        {
            file.Format = ContainerLineDecoder.Detect(line.Span);
        }
        if (!ContainerLineDecoder.TryDecode(file.Format, line, _scratch, _time, out var decoded))
        {
            _malformedLines++;
            if (_malformedLines <= 10 || _log.IsDebugEnabled)
            {
                _log.Warn($"{file.Path}: byte {start}: not a valid {file.Format} line; skipped");
            }
            return;
        }
        var partial = file.PartialFor(decoded.Stream);
        if (decoded.Partial)
        {
            partial.Append(decoded.Content.Span, start, decoded.TimeUnixNano);
            if (partial.Length >= _options.BufferMaxSize)
            {
                Emit(file, decoded.Stream, partial.TimeUnixNano, partial.Content, partial.StartOffset, end, reusedBuffer: true);
                partial.Reset();
            }
            return;
        }
        if (partial.IsActive)
        {
            partial.Append(decoded.Content.Span, start, decoded.TimeUnixNano);
            Emit(file, decoded.Stream, partial.TimeUnixNano, partial.Content, partial.StartOffset, end, reusedBuffer: true);
            partial.Reset();
            return;
        }
        Emit(file, decoded.Stream, decoded.TimeUnixNano, decoded.Content, start, end, reusedBuffer: inCarry || file.Format == ContainerLogFormat.DockerJson);
    }

    private void ProcessLongLine(TailedFile file, ReadOnlyMemory<byte> line, long start, long end, bool inCarry)
    {
        if (_options.SkipLongLines)
        {
            _skippedBytes += end - start;
            _log.Warn($"{file.Path}: byte {start}: a line longer than Buffer_Max_Size ({_options.BufferMaxSize} bytes) was skipped (Skip_Long_Lines On)");
            return;
        }
        while (!line.IsEmpty)
        {
            var take = Math.Min(line.Length, _options.BufferMaxSize);
            ProcessLine(file, line[..take], start, take == line.Length ? end : start + take, inCarry);
            line = line[take..];
            start += take;
        }
    }

    /// <summary>
    /// A whole line: through multi-line joining, then parsed, given metadata and handed to the batch.
    /// <paramref name="reusedBuffer"/>: the content sits in a buffer the next line overwrites (not the read chunk).
    /// </summary>
    private void Emit(TailedFile file, LogStream stream, long time, ReadOnlyMemory<byte> content, long start, long end, bool reusedBuffer)
    {
        if (file.ExcludedFor(stream))
        {
            return;
        }
        var record = new LogRecord
        {
            TimeUnixNano = time,
            Stream = stream,
            Content = content,
            Tag = file.Source.Tag,
            Source = file.Source,
            Kubernetes = file.Metadata,
            KeepLog = _context.KeepLog,
            SourceOffset = start,
            SourceEndOffset = end,
        };
        var lines = LinesFor(file, stream);
        if (lines is null)
        {
            Finish(file, record);
            return;
        }
        lines.Add(record, _completed);
        if (reusedBuffer)
        {
            lines.DetachHeldContent();
        }
        FinishCompleted(file);
    }

    private MultilineAggregator? LinesFor(TailedFile file, LogStream stream)
    {
        if (_context.MultilineRule is not { } rule)
        {
            return null;
        }
        if (stream == LogStream.Stderr)
        {
            return file.StderrLines ??= new MultilineAggregator(rule, _context.MultilineFlushTimeout, _time);
        }
        return file.StdoutLines ??= new MultilineAggregator(rule, _context.MultilineFlushTimeout, _time);
    }

    private void FinishCompleted(TailedFile file)
    {
        foreach (var record in _completed)
        {
            Finish(file, record);
        }
        _completed.Clear();
    }

    private void Finish(TailedFile file, LogRecord record)
    {
        var parser = file.ParserFor(record.Stream);
        if (parser is not null && parser.TryParse(record))
        {
            record.ParsedFromContent = true;
            if (_context.MergeLogKey is { } key && ReferenceEquals(parser, _context.MergeLogParser))
            {
                var merged = record.Fields;
                record.ClearFields();
                record.Fields[key] = merged;
            }
        }
        else
        {
            record.Severity = SeverityDetector.DetectPrefix(record.Content.Span);
        }
        if (_options.PathKey is { } pathKey)
        {
            record.Fields[pathKey] = file.Path;
        }
        _builder.Add(record);
    }

    /// <summary>Emits what is held back for a file that will not grow any more (rotated away, or the end of a --once run).</summary>
    private void FlushHeldBack(TailedFile file)
    {
        if (file.HasCarry)
        {
            var start = file.CarryStart;
            ProcessLine(file, file.CarryMemory, start, file.ReadOffset, inCarry: true);
            file.ClearCarry();
        }
        FlushPartial(file, file.Stdout, LogStream.Stdout);
        FlushPartial(file, file.Stderr, LogStream.Stderr);
        file.StdoutLines?.FlushAll(_completed);
        file.StderrLines?.FlushAll(_completed);
        FinishCompleted(file);
        _builder.SetPosition(file.Cursor, file.SafeOffset());
    }

    private void FlushPartial(TailedFile file, PartialLine partial, LogStream stream)
    {
        if (partial.IsActive)
        {
            Emit(file, stream, partial.TimeUnixNano, partial.Content, partial.StartOffset, file.ReadOffset, reusedBuffer: true);
            partial.Reset();
        }
    }

    /// <summary>
    /// Multi-line records whose last line is older than the flush timeout are passed on; a split line whose closing
    /// piece never came (the container stopped mid-line) is emitted once the file has been idle for RotateWait.
    /// </summary>
    private void FlushIdle()
    {
        foreach (var file in _files)
        {
            if (file.StdoutLines is { HasPending: true } || file.StderrLines is { HasPending: true })
            {
                file.StdoutLines?.FlushExpired(_completed);
                file.StderrLines?.FlushExpired(_completed);
                FinishCompleted(file);
                _builder.SetPosition(file.Cursor, file.SafeOffset());
            }
            if ((file.Stdout.IsActive || file.Stderr.IsActive) && _time.GetElapsedTime(file.LastGrowth) >= _options.RotateWait)
            {
                FlushPartial(file, file.Stdout, LogStream.Stdout);
                FlushPartial(file, file.Stderr, LogStream.Stderr);
                _builder.SetPosition(file.Cursor, file.SafeOffset());
            }
        }
    }
}
