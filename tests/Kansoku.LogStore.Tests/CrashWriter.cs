using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Storage.Logs;

namespace Kansoku.LogStore.Tests;

/// <summary>
/// The child process of the crash test: four writers append batches of numbered lines as fast as they can, with small
/// heads so that flushes, WAL deletion and merges happen while it runs, and print <c>ack WRITER FIRST LAST</c> after each
/// acknowledged batch. The test kills it with SIGKILL at some point.
/// </summary>
internal static class CrashWriter
{
    public const int Writers = 4;
    public const int BatchSize = 50;

    public static LogStorageOptions Options => new()
    {
        WalSync = WalSyncMode.Always,
        FlushInterval = TimeSpan.FromMilliseconds(200),
        FlushHeadBytes = 64 << 10,
        MergeInterval = TimeSpan.FromMilliseconds(100),
        BlockRawBytes = 4 << 10,
        RetentionPeriod = null,
    };

    public static string Line(int writer, long sequence) => $"writer={writer} seq={sequence} payload=" + new string('x', (int)(sequence % 40));

    public static LabelSet Labels(int writer) => LabelSet.From(("job", "crash"), ("writer", writer.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public static async Task RunAsync(string directory)
    {
        var storage = LogStorage.Open(directory, Options);
        var start = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        var output = Console.Out;
        var outputLock = new Lock();
        var tasks = new Task[Writers];
        for (var w = 0; w < Writers; w++)
        {
            var writer = w;
            tasks[w] = Task.Run(async () =>
            {
                for (long next = 0; ; next += BatchSize)
                {
                    var batch = new LogStreamBatch(Labels(writer));
                    for (var i = 0; i < BatchSize; i++)
                    {
                        var sequence = next + i;
                        batch.Entries.Add(new LogEntry(start + sequence, Encoding.UTF8.GetBytes(Line(writer, sequence))));
                    }
                    await storage.AppendAsync([batch], CancellationToken.None);
                    lock (outputLock)
                    {
                        output.WriteLine($"ack {writer} {next} {next + BatchSize - 1}");
                        output.Flush();
                    }
                }
            });
        }
        await Task.WhenAll(tasks);
    }
}
