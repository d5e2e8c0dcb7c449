using Kansoku.Core.Exposition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Prometheus;

/// <summary><c>/metrics</c>: Kansoku's own metrics in the text exposition format, written straight into the response.</summary>
internal static class KansokuMetricsEndpoint
{
    public static IEndpointRouteBuilder MapKansokuMetricsEndpoint(this IEndpointRouteBuilder app, MetricRegistry registry)
    {
        app.MapGet("/metrics", async context =>
        {
            context.Response.ContentType = ExpositionWriter.ContentType;
            registry.WriteTo(context.Response.BodyWriter);
            await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
        });
        return app;
    }
}
