using System.Net;
using System.Text.Json;
using Kansoku.Core.Exposition;
using Kansoku.Server.Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kansoku.Server.Tests.Prometheus;

/// <summary>The Prometheus API (and /metrics) on a real Kestrel listener at 127.0.0.1 on a free port.</summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static async Task<ApiHost> StartAsync(PrometheusApiOptions options, MetricRegistry? metrics = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPrometheusApiEndpoints(options);
        if (metrics is not null)
        {
            app.MapKansokuMetricsEndpoint(metrics);
        }
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ApiHost(app, new Uri(address));
    }

    /// <summary>GET <paramref name="path"/>: the status code and the body as text.</summary>
    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GET <paramref name="path"/>, which must succeed; its <c>data</c>.</summary>
    public async Task<JsonElement> DataAsync(string path)
    {
        var (status, body) = await GetAsync(path);
        Assert.True(status == HttpStatusCode.OK, $"{status}: {body}");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("success", root.GetProperty("status").GetString());
        return root.GetProperty("data").Clone();
    }

    /// <summary>GET <paramref name="path"/>, which must fail with <paramref name="status"/>; Prometheus' error body.</summary>
    public async Task<(string ErrorType, string Error)> ErrorAsync(string path, HttpStatusCode status)
    {
        var (actual, body) = await GetAsync(path);
        Assert.True(actual == status, $"{actual}: {body}");
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("error", root.GetProperty("status").GetString());
        Assert.False(root.TryGetProperty("data", out _));
        return (root.GetProperty("errorType").GetString()!, root.GetProperty("error").GetString()!);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>A clock stopped at one instant, for the API's default query time.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
