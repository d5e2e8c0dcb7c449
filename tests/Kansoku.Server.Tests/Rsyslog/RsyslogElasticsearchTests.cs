using System.Net;
using System.Text.Json;
using Kansoku.Testing;

namespace Kansoku.Server.Tests.Rsyslog;

/// <summary>
/// A real client end to end: Debian's rsyslog with omelasticsearch tails a file and ships its lines to the real
/// <c>kansoku server</c>'s <c>_bulk</c>; a LogQL query must then return every line exactly once.
/// </summary>
public sealed class RsyslogElasticsearchTests : IDisposable
{
    private const int LineCount = 500;
    private static readonly TimeSpan s_deadline = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [RsyslogFact]
    public async Task Rsyslog_ships_every_line_of_a_file_to_bulk_and_a_LogQL_query_returns_each_once()
    {
        var dataDirectory = _temp.Combine("data");
        using var server = ChildProcess.StartKansoku("server", "--data-dir", dataDirectory, "--listen", "127.0.0.1:0");
        using var http = new HttpClient { BaseAddress = await server.ListeningAddressAsync(s_deadline) };

        var input = _temp.Write("app.log", "");
        var errorFile = _temp.Combine("omelasticsearch-errors.json");
        var work = Directory.CreateDirectory(_temp.Combine("rsyslog")).FullName;
        var config = _temp.Write("rsyslog.conf", Rsyslogd.Config(work, input, http.BaseAddress!.Port, errorFile));
        using var rsyslog = Rsyslogd.Start(config, _temp.Combine("rsyslogd.pid"));

        var run = Guid.NewGuid().ToString("N")[..8];
        var written = new List<string>(LineCount);
        for (var i = 0; i < LineCount; i++)
        {
            written.Add($"run {run} line {i:D4} level={(i % 3 == 0 ? "warn" : "info")} \"quoted\" path=C:\\tmp\\{i}");
        }
        // Appended in bursts while rsyslog tails the file, as a program writing its log would.
        for (var start = 0; start < LineCount; start += 100)
        {
            await File.AppendAllLinesAsync(input, written.GetRange(start, 100));
            await Task.Delay(50);
        }

        string Diagnostics() =>
            $"rsyslogd:\n{rsyslog.Output}\nomelasticsearch error file:\n{(File.Exists(errorFile) ? File.ReadAllText(errorFile) : "(none)")}\n" +
            $"kansoku server:\n{server.Output}";
        var deadline = DateTime.UtcNow + s_deadline;
        long stored;
        while ((stored = await StoredEntriesAsync(http)) < LineCount)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{stored} of {LineCount} lines stored after {s_deadline.TotalSeconds} s\n{Diagnostics()}");
            Assert.False(rsyslog.HasExited, $"rsyslogd exited\n{Diagnostics()}");
            await Task.Delay(100);
        }

        Assert.True(rsyslog.Terminate(TimeSpan.FromSeconds(10)), $"rsyslogd ignored SIGTERM\n{Diagnostics()}");
        Assert.Equal(LineCount, await StoredEntriesAsync(http));
        Assert.False(File.Exists(errorFile) && new FileInfo(errorFile).Length > 0, $"rsyslog reported rejected documents\n{Diagnostics()}");

        var messages = await QueriedMessagesAsync(http, $"{{index=\"rsyslog\"}} |= \"run {run} \"");
        Assert.True(server.Terminate(TimeSpan.FromSeconds(20)), $"kansoku server ignored SIGTERM\n{Diagnostics()}");
        Assert.Equal(0, server.ExitCode);
        var missing = written.Except(messages).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} lines not returned by the query, e.g. '{missing.FirstOrDefault()}'");
        var duplicated = messages.CountBy(m => m).Where(c => c.Value > 1).Select(c => c.Key).ToList();
        Assert.True(duplicated.Count == 0, $"{duplicated.Count} lines returned more than once, e.g. '{duplicated.FirstOrDefault()}'");
        Assert.Equal(LineCount, messages.Count);
    }

    [Fact]
    public async Task Answers_the_health_check_rsyslog_makes_before_resuming_after_a_failed_request()
    {
        await using var server = KansokuServer.Create(new KansokuServerOptions(_temp.Path, "127.0.0.1:0"), new RecordingAppender(), new EmptyQuerier(), TimeProvider.System);
        await server.StartAsync(CancellationToken.None);
        using var http = new HttpClient { BaseAddress = server.Address };

        using var response = await http.GetAsync("/_cat/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var columns = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split(' ');
        Assert.Equal("green", columns[3]);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/_cat/health"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    /// <summary>Entries of the <c>rsyslog</c> index (rsyslog's daily <c>rsyslog-YYYY.MM.DD</c>) by Loki's index stats.</summary>
    private static async Task<long> StoredEntriesAsync(HttpClient http)
    {
        var query = Uri.EscapeDataString("{index=\"rsyslog\"}");
        using var json = JsonDocument.Parse(await http.GetStringAsync($"/loki/api/v1/index/stats?query={query}"));
        return json.RootElement.GetProperty("entries").GetInt64();
    }

    /// <summary>The <c>message</c> of every document a LogQL log query over the last hour returns.</summary>
    private static async Task<List<string>> QueriedMessagesAsync(HttpClient http, string logql)
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds() * 1_000_000;
        var start = end - (long)TimeSpan.FromHours(1).TotalNanoseconds;
        var url = $"/loki/api/v1/query_range?query={Uri.EscapeDataString(logql)}&start={start}&end={end}&limit={LineCount * 2}&direction=forward";
        using var answer = JsonDocument.Parse(await http.GetStringAsync(url));
        var messages = new List<string>();
        foreach (var stream in answer.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            foreach (var value in stream.GetProperty("values").EnumerateArray())
            {
                using var document = JsonDocument.Parse(value[1].GetString()!);
                messages.Add(document.RootElement.GetProperty("message").GetString()!);
            }
        }
        return messages;
    }
}
