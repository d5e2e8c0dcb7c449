using Google.Protobuf;
using Snappier;

namespace Kansoku.Bench.Loadgen;

/// <summary>
/// Turns a directory of CRI log files into prepared push requests: batches of about <c>batchBytes</c> raw bytes per file,
/// the files taken in turn, so that concurrent senders push different streams as agents on several nodes would.
/// </summary>
internal static class CorpusEncoder
{
    public sealed record Summary(long Requests, long Lines, long RawBytes, long BodyBytes, long SkippedLines);

    public static Summary Encode(string corpusDirectory, string bodiesPath, int batchBytes)
    {
        var paths = Directory.GetFiles(corpusDirectory, "*.log");
        Array.Sort(paths, StringComparer.Ordinal);
        if (paths.Length == 0)
        {
            throw new FileNotFoundException($"no *.log files in {corpusDirectory}");
        }
        var logs = paths.Select(p => new ContainerLog(p)).ToList();
        long requests = 0, lines = 0, rawBytes = 0, bodyBytes = 0;
        try
        {
            using var output = new FileStream(bodiesPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
            while (logs.Any(l => !l.Finished))
            {
                foreach (var log in logs)
                {
                    if (log.Finished)
                    {
                        continue;
                    }
                    var request = log.NextRequest(batchBytes, out var requestLines, out var requestBytes);
                    if (requestLines == 0)
                    {
                        continue;
                    }
                    var body = Snappy.CompressToArray(request.ToByteArray());
                    BodyFile.Write(output, body, requestLines, requestBytes);
                    requests++;
                    lines += requestLines;
                    rawBytes += requestBytes;
                    bodyBytes += body.Length;
                }
            }
            return new Summary(requests, lines, rawBytes, bodyBytes, logs.Sum(l => l.SkippedLines));
        }
        finally
        {
            foreach (var log in logs)
            {
                log.Dispose();
            }
        }
    }
}
