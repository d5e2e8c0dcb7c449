using Kansoku.Testing;

namespace Kansoku.Server.Tests.Rsyslog;

/// <summary>
/// The system's rsyslogd (Debian: packages rsyslog and rsyslog-elasticsearch), run in the foreground with a config of
/// its own rather than as the system service.
/// </summary>
internal static class Rsyslogd
{
    private static readonly string[] s_programDirectories = ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"];

    /// <summary>rsyslogd's compiled-in module directories on Debian (multiarch), Fedora and source builds.</summary>
    private static readonly string[] s_moduleRoots = ["/usr/lib", "/usr/lib64", "/usr/local/lib"];

    public static string? Program { get; } = FindProgram();

    /// <summary>Why the real-client tests cannot run here, or null when rsyslogd and omelasticsearch are installed.</summary>
    public static string? MissingReason { get; } =
        Program is null ? "rsyslogd is not installed (Debian: apt-get install rsyslog rsyslog-elasticsearch)"
        : !HasElasticsearchModule() ? "rsyslog's omelasticsearch module is not installed (Debian: apt-get install rsyslog-elasticsearch)"
        : null;

    /// <summary>
    /// A config that tails <paramref name="inputFile"/> with imfile and ships each line, as a JSON document with the line
    /// in <c>message</c>, to <c>http://127.0.0.1:{port}/_bulk</c> in daily indexes <c>rsyslog-YYYY.MM.DD</c>.
    /// Failed requests are retried forever (rsyslog drops them by default) and rejected items go to <paramref name="errorFile"/>.
    /// </summary>
    public static string Config(string workDirectory, string inputFile, int port, string errorFile) => $$"""
        global(workDirectory="{{workDirectory}}")
        module(load="imfile")
        module(load="omelasticsearch")
        template(name="document" type="list" option.jsonf="on") {
          property(outname="@timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
          property(outname="host" name="hostname" format="jsonf")
          property(outname="message" name="msg" format="jsonf")
        }
        template(name="daily-index" type="string" string="rsyslog-%$YEAR%.%$MONTH%.%$DAY%")
        input(type="imfile" file="{{inputFile}}" tag="kansoku-test" ruleset="ship")
        ruleset(name="ship") {
          action(type="omelasticsearch" server="127.0.0.1" serverport="{{port}}" template="document"
                 searchIndex="daily-index" dynSearchIndex="on" bulkmode="on" errorFile="{{errorFile}}"
                 action.resumeRetryCount="-1" action.resumeInterval="1")
        }
        """;

    /// <summary>Starts <c>rsyslogd -n</c> (foreground, messages about itself on stderr) with <paramref name="configFile"/>.</summary>
    public static ChildProcess Start(string configFile, string pidFile) =>
        ChildProcess.Start(Program ?? throw new InvalidOperationException(MissingReason), ["-n", "-f", configFile, "-i", pidFile]);

    private static string? FindProgram()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(s_programDirectories))
        {
            var candidate = Path.Combine(directory, "rsyslogd");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool HasElasticsearchModule()
    {
        foreach (var root in s_moduleRoots)
        {
            if (!Directory.Exists(root))
            {
                continue;
            }
            if (File.Exists(Path.Combine(root, "rsyslog", "omelasticsearch.so")))
            {
                return true;
            }
            foreach (var multiarch in Directory.EnumerateDirectories(root))
            {
                if (File.Exists(Path.Combine(multiarch, "rsyslog", "omelasticsearch.so")))
                {
                    return true;
                }
            }
        }
        return false;
    }
}
