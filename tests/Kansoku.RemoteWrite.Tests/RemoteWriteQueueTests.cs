using Kansoku.Core.Labels;
using Kansoku.RemoteWrite.Sender;
using Kansoku.Testing;
using Microsoft.AspNetCore.Http;

namespace Kansoku.RemoteWrite.Tests;

public sealed class RemoteWriteQueueTests : IAsyncLifetime
{
    private TestEndpoint _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await TestEndpoint.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    private RemoteWriteOptions Options(RemoteWriteQueueOptions? queue = null) => new()
    {
        Url = _endpoint.Url,
        Queue = queue ?? new RemoteWriteQueueOptions { BatchSendDeadline = TimeSpan.FromMilliseconds(50), MinBackoff = TimeSpan.FromMilliseconds(10) },
    };

    private static LabelSet Series(string name, params (string, string)[] labels) => LabelSet.From([("__name__", name), .. labels]);

    [Fact]
    public async Task Samples_arrive_in_order_as_prometheus_sends_them()
    {
        await using var queue = new RemoteWriteQueue(Options());
        queue.Start();
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(Series("up", ("job", "a")), 1000 + i, i);
        }

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 10, describe: () => $"sent {queue.SamplesSent}, error {queue.LastError}");

        Assert.Equal(Enumerable.Range(0, 10).Select(i => ("{__name__=\"up\", job=\"a\"}", 1000L + i, (double)i)), _endpoint.AcceptedSamples());
        var headers = _endpoint.Requests[0].Headers;
        Assert.Equal("snappy", headers["Content-Encoding"]);
        Assert.Equal("application/x-protobuf", headers["Content-Type"]);
        Assert.Equal("0.1.0", headers["X-Prometheus-Remote-Write-Version"]);
        Assert.Equal(1009, queue.HighestSentTimestampMs);
        Assert.Equal(0, queue.PendingSamples);
    }

    [Fact]
    public async Task Batches_hold_at_most_max_samples_per_send_and_a_partial_one_goes_at_the_deadline()
    {
        await using var queue = new RemoteWriteQueue(Options(new RemoteWriteQueueOptions
        {
            MaxSamplesPerSend = 4,
            BatchSendDeadline = TimeSpan.FromMilliseconds(300),
        }));
        queue.Start();
        for (var i = 0; i < 10; i++)
        {
            queue.Enqueue(Series("c"), i, i);
        }

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 10);

        Assert.Equal([4, 4, 2], _endpoint.Requests.Select(r => r.Body.Timeseries.Count));
    }

    [Fact]
    public async Task External_labels_fill_in_and_write_relabelling_rewrites_or_drops_series_and_headers_and_credentials_go_along()
    {
        var options = Options() with
        {
            ExternalLabels = LabelSet.From(("cluster", "eu-1"), ("job", "ignored")),
            WriteRelabel = labels => labels.Get("__name__") == "secret" ? null : labels.With("relabelled", "yes"),
            Headers = new Dictionary<string, string> { ["X-Scope-OrgID"] = "tenant-1", ["X-Prometheus-Remote-Write-Version"] = "9" },
            BasicAuth = new BasicAuthCredentials("alice", "s3cret"),
        };
        await using var queue = new RemoteWriteQueue(options);
        queue.Start();
        queue.Enqueue(Series("up", ("job", "node")), 1, 1);
        queue.Enqueue(Series("secret"), 1, 1);

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 1);

        Assert.Equal([("{__name__=\"up\", cluster=\"eu-1\", job=\"node\", relabelled=\"yes\"}", 1L, 1.0)], _endpoint.AcceptedSamples());
        Assert.Equal(1, queue.SamplesRelabelledAway);
        var headers = _endpoint.Requests[0].Headers;
        Assert.Equal("tenant-1", headers["X-Scope-OrgID"]);
        Assert.Equal("0.1.0", headers["X-Prometheus-Remote-Write-Version"]);
        Assert.Equal("Basic " + Convert.ToBase64String("alice:s3cret"u8.ToArray()), headers["Authorization"]);
    }

    [Fact]
    public async Task Relabelling_runs_once_per_series_even_when_each_sample_brings_its_own_label_set()
    {
        var calls = 0;
        await using var queue = new RemoteWriteQueue(Options() with
        {
            WriteRelabel = labels =>
            {
                Interlocked.Increment(ref calls);
                return labels;
            },
        });
        queue.Start();
        for (var i = 0; i < 5; i++)
        {
            queue.Enqueue(Series("up", ("job", "a")), i, 1);
            queue.Enqueue(Series("up", ("job", "b")), i, 1);
        }

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 10);

        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_bearer_token_is_sent_as_authorization()
    {
        await using var queue = new RemoteWriteQueue(Options() with { BearerToken = "t0ken" });
        queue.Start();
        queue.Enqueue(Series("up"), 1, 1);

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 1);

        Assert.Equal("Bearer t0ken", _endpoint.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task Server_errors_and_429_are_retried_with_backoff_honouring_retry_after_until_accepted()
    {
        var answers = new[] { 503, 500, 429 };
        _endpoint.Respond = (number, response) =>
        {
            response.StatusCode = number < answers.Length ? answers[number] : 204;
            if (response.StatusCode == 429)
            {
                response.Headers.RetryAfter = "1";
            }
            return Task.CompletedTask;
        };
        await using var queue = new RemoteWriteQueue(Options());
        queue.Start();
        queue.Enqueue(Series("up"), 5, 1);
        queue.Enqueue(Series("up"), 6, 2);

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 2, describe: () => $"error {queue.LastError}");

        var requests = _endpoint.Requests;
        Assert.Equal([503, 500, 429, 204], requests.Select(r => r.Status));
        Assert.All(requests, r => Assert.Equal(2, r.Body.Timeseries.Count));
        Assert.Equal(6, queue.SamplesRetried);
        Assert.Equal(0, queue.SamplesFailed);
        Assert.Contains("429", queue.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_retry_after_a_429_waits_as_long_as_the_server_asked()
    {
        _endpoint.Respond = (number, response) =>
        {
            response.StatusCode = number == 0 ? 429 : 204;
            response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        };
        await using var queue = new RemoteWriteQueue(Options());
        queue.Start();
        var started = DateTimeOffset.UtcNow;
        queue.Enqueue(Series("up"), 5, 1);

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 1);

        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.95), "retried before Retry-After");
    }

    [Fact]
    public async Task A_400_drops_the_batch_without_retrying_and_the_next_batch_goes_on()
    {
        _endpoint.Respond = async (number, response) =>
        {
            response.StatusCode = number == 0 ? 400 : 204;
            if (number == 0)
            {
                await response.WriteAsync("out of order sample\nsecond line");
            }
        };
        await using var queue = new RemoteWriteQueue(Options());
        queue.Start();
        queue.Enqueue(Series("up"), 5, 1);
        await Eventually.WaitUntilAsync(() => queue.SamplesFailed == 1);
        queue.Enqueue(Series("up"), 6, 1);

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 1);

        Assert.Equal(2, _endpoint.Requests.Count);
        Assert.Equal(0, queue.SamplesRetried);
        Assert.Equal("server returned HTTP status 400 Bad Request: out of order sample", queue.LastError);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retried_and_stopping_gives_up_after_the_flush_deadline()
    {
        var port = _endpoint.Url.Port;
        await _endpoint.DisposeAsync();
        _endpoint = await TestEndpoint.StartAsync();
        var options = new RemoteWriteOptions
        {
            Url = new Uri($"http://127.0.0.1:{port}/write"),
            Queue = new RemoteWriteQueueOptions
            {
                BatchSendDeadline = TimeSpan.FromMilliseconds(10),
                MinBackoff = TimeSpan.FromMilliseconds(10),
                MaxBackoff = TimeSpan.FromMilliseconds(20),
                FlushDeadline = TimeSpan.FromMilliseconds(300),
            },
        };
        var queue = new RemoteWriteQueue(options);
        queue.Start();
        queue.Enqueue(Series("up"), 1, 1);

        await Eventually.WaitUntilAsync(() => queue.SamplesRetried >= 3);
        await queue.DisposeAsync();

        Assert.Equal(1, queue.SamplesFailed);
        Assert.Equal(0, queue.SamplesSent);
        Assert.NotNull(queue.LastError);
    }

    [Fact]
    public async Task A_full_shard_drops_what_does_not_fit_instead_of_blocking_the_commit()
    {
        var release = new TaskCompletionSource();
        _endpoint.Respond = async (_, response) =>
        {
            await release.Task;
            response.StatusCode = 204;
        };
        await using var queue = new RemoteWriteQueue(Options(new RemoteWriteQueueOptions
        {
            Capacity = 3,
            MaxSamplesPerSend = 1,
            BatchSendDeadline = TimeSpan.FromMilliseconds(10),
        }));
        queue.Start();
        queue.Enqueue(Series("up"), 0, 0);
        await Eventually.WaitUntilAsync(() => _endpoint.Requests.Count == 1);
        for (var i = 1; i <= 5; i++)
        {
            queue.Enqueue(Series("up"), i, i);
        }

        Assert.Equal(2, queue.SamplesDropped);
        Assert.Equal(3, queue.PendingSamples);
        release.SetResult();
        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 4);
        Assert.Equal([0L, 1, 2, 3], _endpoint.AcceptedSamples().Select(s => s.TimestampMs));
    }

    [Fact]
    public async Task Resharding_keeps_each_series_in_order()
    {
        await using var queue = new RemoteWriteQueue(Options(new RemoteWriteQueueOptions
        {
            MaxShards = 8,
            MaxSamplesPerSend = 7,
            BatchSendDeadline = TimeSpan.FromMilliseconds(5),
        }));
        queue.Start();
        var series = Enumerable.Range(0, 20).Select(i => Series("s", ("i", i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToArray();
        for (var t = 0; t < 50; t++)
        {
            foreach (var labels in series)
            {
                queue.Enqueue(labels, t, t);
            }
            if (t % 10 == 5)
            {
                queue.Reshard(1 + (t % 7));
            }
        }

        await Eventually.WaitUntilAsync(() => queue.SamplesSent == 1000, describe: () => $"sent {queue.SamplesSent} dropped {queue.SamplesDropped}");

        foreach (var group in _endpoint.AcceptedSamples().GroupBy(s => s.Labels))
        {
            Assert.Equal(Enumerable.Range(0, 50).Select(t => (long)t), group.Select(s => s.TimestampMs));
        }
        Assert.Equal(20, _endpoint.AcceptedSamples().Select(s => s.Labels).Distinct().Count());
    }

    [Fact]
    public async Task Samples_before_start_or_after_stop_are_dropped_and_counted()
    {
        var queue = new RemoteWriteQueue(Options());
        queue.Enqueue(Series("up"), 1, 1);
        queue.Start();
        await queue.DisposeAsync();
        queue.Enqueue(Series("up"), 2, 1);

        Assert.Equal(2, queue.SamplesDropped);
        Assert.Empty(_endpoint.Requests);
    }

    [Fact]
    public void Options_that_cannot_work_are_refused_with_the_setting_named()
    {
        var error = Assert.Throws<ArgumentException>(() => new RemoteWriteQueue(Options(new RemoteWriteQueueOptions { MinShards = 3, MaxShards = 2 })));
        Assert.Contains("min_shards", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new RemoteWriteQueue(new RemoteWriteOptions { Url = new Uri("ftp://x/") }));
        Assert.Throws<ArgumentException>(() => new RemoteWriteQueue(Options() with { BearerToken = "a", BasicAuth = new("u", "p") }));
    }
}
