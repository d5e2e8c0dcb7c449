using System.Globalization;
using System.Text;

namespace Kansoku.Benchmarks.LogStore;

/// <summary>
/// Deterministic container log lines like bench/logstore/gen-corpus.py writes: mostly JSON request logs, a plain line
/// every 50th and a three-line .NET stack trace every 50th, one stream's lines cut into blocks of about 256 KiB.
/// </summary>
internal static class SampleLogs
{
    private static readonly string[] s_levels = ["info", "info", "info", "warn", "debug", "error"];
    private static readonly string[] s_paths = ["/api/orders", "/api/products", "/health", "/ready", "/api/cart/items", "/api/users"];

    public static List<(byte[] Lines, int[] Lengths)> Blocks(int totalBytes, int blockBytes = 256 << 10)
    {
        var blocks = new List<(byte[], int[])>();
        var block = new MemoryStream();
        var lengths = new List<int>();
        var time = new DateTime(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);
        var written = 0;
        for (var i = 0; written < totalBytes; i++)
        {
            time = time.AddTicks(840_000 + (i % 7 * 1000));
            var line = Encoding.UTF8.GetBytes(Line(i, time));
            if (block.Length + line.Length > blockBytes)
            {
                blocks.Add((block.ToArray(), [.. lengths]));
                block.SetLength(0);
                lengths.Clear();
            }
            block.Write(line);
            lengths.Add(line.Length);
            written += line.Length;
        }
        blocks.Add((block.ToArray(), [.. lengths]));
        return blocks;
    }

    private static string Line(int i, DateTime time)
    {
        if (i % 50 == 7)
        {
            return string.Create(CultureInfo.InvariantCulture, $"plain text line {i}: cache warmed in {i % 997} ms");
        }
        if (i % 50 == 13)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Unhandled exception. System.InvalidOperationException: pool exhausted {i}\n   at Npgsql.PoolingDataSource.Get(NpgsqlConnection conn)\n   at WebApp.Orders.OrderRepository.SaveAsync(Order order) in /src/Orders/OrderRepository.cs:line 42");
        }
        var stamp = time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'", CultureInfo.InvariantCulture);
        return string.Create(CultureInfo.InvariantCulture,
            $$"""{"timestamp":"{{stamp}}","level":"{{s_levels[i % s_levels.Length]}}","message":"request completed","method":"GET","path":"{{s_paths[i % s_paths.Length]}}","status":{{(i % 40 == 0 ? 500 : 200)}},"duration_ms":{{(i % 900) / 10.0}},"trace_id":"{{(ulong)i * 0x9E3779B97F4A7C15UL:x16}}{{i:x16}}","service":"webapp"}""");
    }
}
