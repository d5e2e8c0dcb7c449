namespace Kansoku.Testing.Peers;

/// <summary>A fact that needs Debian's prometheus and promtool; skipped, with the reason, where they are missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PrometheusFactAttribute : FactAttribute
{
    public PrometheusFactAttribute()
    {
        if (PrometheusServer.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
