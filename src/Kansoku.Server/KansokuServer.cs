using System.Net;
using Kansoku.Server.Endpoints;
using Kansoku.Server.Ingest;
using Kansoku.Server.Metrics;
using Kansoku.Server.Prometheus;
using Kansoku.Core.Exposition;
using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kansoku.Server;

/// <summary>
/// The HTTP side of <c>kansoku server</c>: one Kestrel listener serving the Loki and Elasticsearch-compatible APIs over
/// the stores it is given.
/// </summary>
internal sealed class KansokuServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KansokuServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The address actually bound, e.g. <c>http://127.0.0.1:3100</c> (with port 0, the picked port).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    /// <param name="metrics">The metrics side; null serves logs only.</param>
    public static KansokuServer Create(KansokuServerOptions options, ILogAppender logs, ILogQuerier logQuerier, TimeProvider time,
        MetricsRuntime? metrics = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            kestrel.AddServerHeader = false;
        });
        var (host, port) = ParseListen(options.Listen);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(host, port));
        var app = builder.Build();

        // Every handler is a RequestDelegate: the Delegate overloads bind parameters by reflection, which NativeAOT refuses.
        app.MapGet("/ready", context => Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "ready\n"));
        app.MapBulkEndpoints(logs, new BulkRequestParser(StreamLabelRules.Default, time), options);
        app.MapLokiPushEndpoints(logs, options);
        app.MapLokiMetadataEndpoints(logQuerier, time);
        var engine = new LogQL.Engine.LogQLEngine(logQuerier, clock: time);
        app.UseWebSockets();
        app.MapLokiQueryEndpoints(engine, time);
        app.MapLokiTailEndpoints(engine, time);

        var registry = new MetricRegistry();
        if (metrics is not null)
        {
            app.MapPrometheusApiEndpoints(metrics.ApiOptions(time));
            app.MapRemoteWriteEndpoints(metrics.Appendable, options, time);
            metrics.Register(registry);
        }
        app.MapKansokuMetricsEndpoint(registry);
        return new KansokuServer(app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        if (addresses?.Addresses.FirstOrDefault() is { } address)
        {
            Address = new Uri(address);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => _app.StopAsync(cancellationToken);

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    internal static (IPAddress Host, int Port) ParseListen(string listen)
    {
        var colon = listen.LastIndexOf(':');
        if (colon < 0 || !int.TryParse(listen.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"--listen: expected HOST:PORT, got '{listen}'");
        }
        var hostText = listen[..colon].Trim('[', ']');
        IPAddress host;
        if (hostText is "" or "0.0.0.0" or "*")
        {
            host = IPAddress.Any;
        }
        else if (hostText == "localhost")
        {
            host = IPAddress.Loopback;
        }
        else if (!IPAddress.TryParse(hostText, out host!))
        {
            throw new ArgumentException($"--listen: '{hostText}' is not an IP address");
        }
        return (host, port);
    }
}
