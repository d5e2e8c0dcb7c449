using System.Buffers;
using Kansoku.Core.Labels;
using Kansoku.Scrape.Scraping;
using Kansoku.Scrape.TextParse;
using Kansoku.Storage.Metrics;
using Kansoku.Tsdb;

namespace Kansoku.Cli.Commands.Tsdb;

/// <summary>
/// Loads an OpenMetrics file into blocks of a data directory, as <c>promtool tsdb create-blocks-from openmetrics</c>:
/// every sample needs a timestamp, each series' samples in time order. The file is read in windows cut at line ends,
/// so its size is not bounded by memory; faults name the file's line and column.
/// </summary>
internal static class OpenMetricsImporter
{
    private const int WindowBytes = 256 << 20;
    private static readonly byte[] EndOfInput = "# EOF\n"u8.ToArray();

    public sealed record Result(long Samples, long Series, IReadOnlyList<string> Blocks);

    public static Result Import(string file, string dataDirectory, TimeProvider time)
    {
        var backfiller = new BlockBackfiller(dataDirectory, time);
        var labelsBySeries = new Dictionary<byte[], LabelSet>(ByteKeyComparer.Instance);
        var lookup = labelsBySeries.GetAlternateLookup<ReadOnlySpan<byte>>();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(WindowBytes + EndOfInput.Length);
        try
        {
            var carried = 0;
            var firstLine = 1;
            while (true)
            {
                var filled = carried + ReadFully(stream, buffer.AsSpan(carried, WindowBytes - carried));
                var atEnd = filled < WindowBytes;
                var windowEnd = filled;
                if (!atEnd)
                {
                    windowEnd = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                    if (windowEnd == 0)
                    {
                        throw new ExpositionFormatException($"{file}: a line longer than {WindowBytes} bytes", firstLine, 1);
                    }
                }
                var length = windowEnd;
                if (!atEnd)
                {
                    // Each window but the last is parsed as a whole exposition of its own, so it gets the end marker.
                    EndOfInput.CopyTo(buffer.AsSpan(windowEnd));
                    length += EndOfInput.Length;
                }
                ImportWindow(buffer.AsMemory(0, length), backfiller, lookup, file, firstLine);
                if (atEnd)
                {
                    break;
                }
                firstLine += buffer.AsSpan(0, windowEnd).Count((byte)'\n');
                carried = filled - windowEnd;
                buffer.AsSpan(windowEnd, carried).CopyTo(buffer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var blocks = backfiller.Finish();
        return new Result(backfiller.SamplesAdded, labelsBySeries.Count, blocks);
    }

    private static void ImportWindow(ReadOnlyMemory<byte> window, BlockBackfiller backfiller,
        Dictionary<byte[], LabelSet>.AlternateLookup<ReadOnlySpan<byte>> labelsBySeries, string file, int firstLine)
    {
        var parser = new OpenMetricsParser(window, OpenMetricsChecks.Prometheus, skipCreatedSeries: true);
        try
        {
            ExpositionEntry entry;
            while ((entry = parser.Next()) != ExpositionEntry.EndOfInput)
            {
                if (entry != ExpositionEntry.Series)
                {
                    continue;
                }
                if (!labelsBySeries.TryGetValue(parser.Series, out var labels))
                {
                    labels = parser.GetLabels();
                    labelsBySeries[parser.Series] = labels;
                }
                if (parser.TimestampMs is not { } timestampMs)
                {
                    throw new ImportException($"{file}: a sample of {labels} has no timestamp; backfilled samples need one");
                }
                try
                {
                    backfiller.Add(labels, timestampMs, parser.Value);
                }
                catch (SampleRejectedException e)
                {
                    throw new ImportException($"{file}: {labels} at {timestampMs}: {e.Message}");
                }
            }
        }
        catch (ExpositionFormatException e)
        {
            throw new ImportException($"{file}:{firstLine + e.Line - 1}:{e.Column}: {e.Message}");
        }
    }

    private static int ReadFully(Stream stream, Span<byte> destination)
    {
        var total = 0;
        int read;
        while (total < destination.Length && (read = stream.Read(destination[total..])) > 0)
        {
            total += read;
        }
        return total;
    }
}

/// <summary>An import that cannot go on; the message names the file and place.</summary>
internal sealed class ImportException(string message) : Exception(message);
