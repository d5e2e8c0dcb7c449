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
    private const int DefaultWindowBytes = 256 << 20;
    private static readonly byte[] EndOfInput = "# EOF\n"u8.ToArray();

    public sealed record Result(long Samples, long Series, IReadOnlyList<string> Blocks);

    /// <param name="windowBytes">How much of the file is parsed at a time (tests make it small).</param>
    public static Result Import(string file, string dataDirectory, TimeProvider time, int windowBytes = DefaultWindowBytes)
    {
        var backfiller = new BlockBackfiller(dataDirectory, time);
        var labelsBySeries = new Dictionary<byte[], LabelSet>(ByteKeyComparer.Instance);
        var lookup = labelsBySeries.GetAlternateLookup<ReadOnlySpan<byte>>();
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(windowBytes + EndOfInput.Length);
        try
        {
            var carried = 0;
            var firstLine = 1;
            while (true)
            {
                var filled = carried + ReadFully(stream, buffer.AsSpan(carried, windowBytes - carried));
                var atEnd = filled < windowBytes;
                var windowEnd = filled;
                if (!atEnd)
                {
                    windowEnd = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                    if (windowEnd == 0)
                    {
                        throw new ImportException($"{file}:{firstLine}: a line longer than {windowBytes} bytes");
                    }
                }
                if (atEnd)
                {
                    ImportWindow(buffer.AsMemory(0, windowEnd), backfiller, lookup, file, firstLine);
                    break;
                }
                // Each window but the last is parsed as a whole exposition of its own, so it gets the end marker, written
                // where the next window's first (partial) line starts: that line is kept aside meanwhile.
                carried = filled - windowEnd;
                var nextLine = buffer.AsSpan(windowEnd, carried).ToArray();
                EndOfInput.CopyTo(buffer.AsSpan(windowEnd));
                ImportWindow(buffer.AsMemory(0, windowEnd + EndOfInput.Length), backfiller, lookup, file, firstLine);
                firstLine += buffer.AsSpan(0, windowEnd).Count((byte)'\n');
                nextLine.CopyTo(buffer.AsSpan());
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
