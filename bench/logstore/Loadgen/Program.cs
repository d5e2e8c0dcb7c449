using System.Globalization;

namespace Kansoku.Bench.Loadgen;

/// <summary>
/// <c>loadgen prepare CORPUS_DIR BODIES_FILE [BATCH_BYTES]</c> encodes CRI log files into Loki push requests once;
/// <c>loadgen push URL BODIES_FILE [CONNECTIONS]</c> sends them and prints one <c>key=value</c> result line.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: loadgen prepare CORPUS_DIR BODIES_FILE [BATCH_BYTES=1048576]\n       loadgen push URL BODIES_FILE [CONNECTIONS=8]";

    public static async Task<int> Main(string[] args)
    {
        switch (args)
        {
            case ["prepare", var corpus, var bodies, .. var rest] when rest.Length <= 1:
            {
                var batchBytes = rest.Length == 1 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1 << 20;
                var summary = CorpusEncoder.Encode(corpus, bodies, batchBytes);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"requests={summary.Requests} lines={summary.Lines} raw_bytes={summary.RawBytes} body_bytes={summary.BodyBytes} skipped_lines={summary.SkippedLines}"));
                return 0;
            }
            case ["push", var url, var bodies, .. var rest] when rest.Length <= 1:
            {
                var connections = rest.Length == 1 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 8;
                var result = await Pusher.RunAsync(new Uri(url), bodies, connections);
                var seconds = result.Elapsed.TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"requests={result.Requests} lines={result.Lines} raw_bytes={result.RawBytes} seconds={seconds:F3} " +
                    $"lines_per_second={result.Lines / seconds:F0} raw_mib_per_second={result.RawBytes / 1048576.0 / seconds:F1} " +
                    $"connections={connections} retries={result.Retries} failures={result.Failures}"));
                if (result.FirstFailure is { } failure)
                {
                    Console.Error.WriteLine($"loadgen: first refused request: {failure}");
                }
                return result.Failures == 0 ? 0 : 1;
            }
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }
}
