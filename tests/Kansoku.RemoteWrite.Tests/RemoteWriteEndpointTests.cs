using System.Net;
using System.Net.Http.Headers;
using Kansoku.Core.Labels;
using static Kansoku.RemoteWrite.Tests.Requests;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>Server's <c>POST /api/v1/write</c> over HTTP on 127.0.0.1.</summary>
public sealed class RemoteWriteEndpointTests : IAsyncLifetime
{
    private static readonly long s_now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private readonly RecordingAppendable _store = new();
    private readonly HttpClient _client = new();
    private WebHost _host = null!;

    public async Task InitializeAsync() => _host = await WebHost.StartReceiverAsync(_store, maxRequestBytes: 4096);

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(byte[] body, string? contentType = "application/x-protobuf",
        string? encoding = "snappy")
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (encoding is not null)
        {
            content.Headers.ContentEncoding.Add(encoding);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/api/v1/write")) { Content = content };
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        using var response = await _client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_request_as_prometheus_sends_it_is_stored_and_answered_204()
    {
        var (status, body) = await PostAsync(Compress(Series(["__name__", "up", "job", "a"], (s_now, 1))));

        Assert.Equal((HttpStatusCode.NoContent, ""), (status, body));
        Assert.Equal([(s_now, 1.0)], _store.Samples(LabelSet.From(("__name__", "up"), ("job", "a"))));
    }

    [Fact]
    public async Task Without_content_headers_the_body_is_still_taken_as_remote_write_1_0()
    {
        var (status, _) = await PostAsync(Compress(Series(["__name__", "up"], (s_now, 1))), contentType: null, encoding: null);

        Assert.Equal(HttpStatusCode.NoContent, status);
    }

    [Theory]
    [InlineData("application/json", "snappy")]
    [InlineData("application/x-protobuf", "gzip")]
    [InlineData("application/x-protobuf;proto=io.prometheus.write.v2.Request", "snappy")]
    public async Task Other_formats_are_415(string contentType, string encoding)
    {
        var (status, body) = await PostAsync(Compress(Series(["__name__", "up"], (s_now, 1))), contentType, encoding);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("supported", body, StringComparison.Ordinal);
        Assert.Equal(0, _store.SampleCount());
    }

    [Fact]
    public async Task Refusals_are_plain_text_with_the_status_senders_act_on()
    {
        await PostAsync(Compress(Series(["__name__", "c"], (s_now, 2))));

        var outOfOrder = await PostAsync(Compress(Series(["__name__", "c"], (s_now - 1, 1))));
        var garbage = await PostAsync("not snappy"u8.ToArray());
        var tooLarge = await PostAsync(new byte[5000]);
        _store.FailCommits = true;
        var failing = await PostAsync(Compress(Series(["__name__", "c"], (s_now + 1, 3))));

        Assert.Equal(HttpStatusCode.BadRequest, outOfOrder.Status);
        Assert.StartsWith("out of order sample", outOfOrder.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, garbage.Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal(HttpStatusCode.InternalServerError, failing.Status);
        Assert.Contains("disk full", failing.Body, StringComparison.Ordinal);
    }
}
