using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Prometheus;

/// <summary>An API error as Prometheus reports it: <c>{"status":"error","errorType":…,"error":…}</c> with the type's status.</summary>
internal sealed class PrometheusApiException(PrometheusErrorType type, string message) : Exception(message)
{
    public PrometheusErrorType Type { get; } = type;

    public string TypeName => Type switch
    {
        PrometheusErrorType.BadData => "bad_data",
        PrometheusErrorType.Execution => "execution",
        PrometheusErrorType.Timeout => "timeout",
        PrometheusErrorType.Canceled => "canceled",
        PrometheusErrorType.Internal => "internal",
        PrometheusErrorType.Unavailable => "unavailable",
        _ => "not_found",
    };

    public int StatusCode => Type switch
    {
        PrometheusErrorType.BadData => StatusCodes.Status400BadRequest,
        PrometheusErrorType.Execution => StatusCodes.Status422UnprocessableEntity,
        PrometheusErrorType.Timeout or PrometheusErrorType.Canceled or PrometheusErrorType.Unavailable => StatusCodes.Status503ServiceUnavailable,
        PrometheusErrorType.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status404NotFound,
    };

    public static PrometheusApiException BadData(string message) => new(PrometheusErrorType.BadData, message);

    /// <summary>Prometheus' wording for a parameter that does not parse: <c>invalid parameter "time": …</c>.</summary>
    public static PrometheusApiException InvalidParameter(string parameter, string reason) =>
        new(PrometheusErrorType.BadData, $"invalid parameter {GoQuote.Quote(parameter)}: {reason}");
}
