using System.Net;
using Kansoku.Server;
using Kansoku.Server.Endpoints;
using Kansoku.Storage.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>Kestrel on 127.0.0.1 with a free port, serving what <c>map</c> maps: the receiver under test, or a scrape target.</summary>
internal sealed class WebHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="listen">Further setup of the one listener, e.g. HTTPS.</param>
    public static async Task<WebHost> StartAsync(Action<IEndpointRouteBuilder> map, Action<ListenOptions>? listen = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, options => listen?.Invoke(options)));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebHost(app, new Uri(address));
    }

    /// <summary>Server's <c>POST /api/v1/write</c> over <paramref name="store"/>, with the server's default limits unless given.</summary>
    public static Task<WebHost> StartReceiverAsync(ISampleAppendable store, long maxRequestBytes = 64L << 20)
        => StartAsync(app => app.MapRemoteWriteEndpoints(store, new KansokuServerOptions("", "127.0.0.1:0", maxRequestBytes), TimeProvider.System));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
