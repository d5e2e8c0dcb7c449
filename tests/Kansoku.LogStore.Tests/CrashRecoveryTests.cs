using System.Diagnostics;
using System.Text.RegularExpressions;
using Kansoku.Core.Labels;
using Kansoku.Testing;
using static Kansoku.LogStore.Tests.StoreTesting;

namespace Kansoku.LogStore.Tests;

public sealed partial class CrashRecoveryTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [GeneratedRegex(@"^ack (\d+) (\d+) (\d+)$")]
    private static partial Regex AckLine();

    [Fact]
    public async Task Every_acknowledged_entry_survives_SIGKILL_mid_ingest()
    {
        var acknowledged = new long[CrashWriter.Writers];
        Array.Fill(acknowledged, -1);
        var acks = 0;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashWriter).Assembly.Location);
        start.ArgumentList.Add("crash-writer");
        start.ArgumentList.Add(_directory.Path);
        using var child = Process.Start(start)!;
        var errors = child.StandardError.ReadToEndAsync();
        var reading = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                var match = AckLine().Match(line);
                if (match.Success)
                {
                    var writer = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                    var last = long.Parse(match.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture);
                    Volatile.Write(ref acknowledged[writer], Math.Max(Volatile.Read(ref acknowledged[writer]), last));
                    Interlocked.Increment(ref acks);
                }
            }
        });
        // Long enough for several flushes (200 ms), WAL deletions and merges to have happened, and at least one part written
        // (on a loaded machine 400 acknowledgements can come before the first flush finishes).
        await Eventually.WaitUntilAsync(
            () => (Volatile.Read(ref acks) >= 400 && Directory.EnumerateFiles(_directory.Path, "*.part", SearchOption.AllDirectories).Any())
                || child.HasExited,
            30_000, () => $"only {acks} acks");
        if (child.HasExited)
        {
            Assert.Fail("the writer died by itself: " + await errors);
        }
        child.Kill();
        await child.WaitForExitAsync();
        await reading;

        var messages = new List<string>();
        using var storage = LogStorage.Open(_directory.Path, StoreTesting.Options(TimeProvider.System) with { Log = messages.Add });
        Assert.Empty(storage.Status().CorruptParts);
        Assert.True(storage.Status().Parts > 0, "the writer flushed parts (and deleted WAL segments) before it was killed");
        for (var writer = 0; writer < CrashWriter.Writers; writer++)
        {
            var lines = ReadStream(storage, Select([LabelMatcher.Equal("writer", writer.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
                .Select(e => e.Line).ToHashSet();
            for (long sequence = 0; sequence <= acknowledged[writer]; sequence++)
            {
                Assert.True(lines.Contains(CrashWriter.Line(writer, sequence)), $"writer {writer} lost acknowledged entry {sequence}");
            }
        }
        Assert.True(acknowledged.Sum() > 0);
    }
}
