namespace Kansoku.RemoteWrite.Tests.Prometheus;

/// <summary>A fact that needs Debian's prometheus and promtool; skipped, with the reason, where they are missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
