using Microsoft.AspNetCore.Routing;

namespace Kansoku.Server.Prometheus;

/// <summary>The whole Prometheus HTTP API under <c>/api/v1</c> plus <c>/-/ready</c> and <c>/-/healthy</c>.</summary>
internal static class PrometheusApiEndpoints
{
    public static IEndpointRouteBuilder MapPrometheusApiEndpoints(this IEndpointRouteBuilder app, PrometheusApiOptions options) =>
        app.MapPrometheusQueryEndpoints(options).MapPrometheusStatusEndpoints(options);
}
