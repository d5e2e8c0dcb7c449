namespace Kansoku.Server.Tests.Rsyslog;

/// <summary>A fact that needs the real rsyslogd with omelasticsearch; skipped, with the reason, where they are missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RsyslogFactAttribute : FactAttribute
{
    public RsyslogFactAttribute()
    {
        if (Rsyslogd.MissingReason is { } reason)
        {
            Skip = reason;
        }
    }
}
