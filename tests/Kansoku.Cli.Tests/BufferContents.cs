using System.Text;
using System.Text.Json;
using Kansoku.Agent.Outputs.Buffering;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Cli.Tests;

/// <summary>What an output's disk buffer (<c>&lt;state&gt;/buffer/&lt;output&gt;/</c>) holds, read with the agent's own buffer code once the agent is gone.</summary>
internal static class BufferContents
{
    public static async Task<List<JsonElement>> ReadRecordsAsync(string directory)
    {
        using var buffer = DiskBuffer.Open(directory, DiskBufferOptions.Default, new ComponentCounters("output", "test"), AgentLog.Null, "test");
        var records = new List<JsonElement>();
        while (buffer.BufferedBytes > 0)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var batch = await buffer.ReadAsync(64 << 20, timeout.Token);
            records.AddRange(Ndjson.Parse(Encoding.UTF8.GetString(batch.Ndjson.Span)));
            buffer.Acknowledge();
        }
        return records;
    }

    /// <summary>How often <paramref name="text"/> occurs in the raw segment files: for polling while the agent still writes.</summary>
    public static int CountInSegments(string directory, string text)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }
        var needle = Encoding.UTF8.GetBytes(text);
        var count = 0;
        foreach (var segment in Directory.EnumerateFiles(directory, "*.seg"))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(segment, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (IOException)
            {
                continue;
            }
            var span = bytes.AsSpan();
            for (var at = span.IndexOf(needle); at >= 0; at = span.IndexOf(needle))
            {
                count++;
                span = span[(at + needle.Length)..];
            }
        }
        return count;
    }
}
