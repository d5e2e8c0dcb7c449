using System.Globalization;
using System.Text;

namespace Kansoku.Bench.Synth;

/// <summary>
/// The series of one synthetic target: request counters by method, path and status, a request-duration histogram,
/// and gauges, in families as an instrumented web service exposes them. Values are a pure function of (series, step),
/// so a scrape and the backfill file agree, and they move the way real ones do: counters grow by small integers,
/// histogram buckets grow together, gauges wander with two decimals.
/// </summary>
internal sealed class SeriesSet
{
    private static readonly string[] s_methods = ["GET", "POST", "PUT", "DELETE"];
    private static readonly string[] s_statuses = ["200", "201", "304", "400", "404", "500"];
    private static readonly string[] s_buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"];

    private readonly List<Family> _families = [];

    public SeriesSet(int target, int seriesCount)
    {
        var paths = Math.Max(1, seriesCount / 100);
        var counters = new List<string>();
        var buckets = new List<string>();
        var gauges = new List<string>();
        var total = 0;
        for (var p = 0; total < seriesCount; p++)
        {
            var path = $"/api/v1/resource{p % paths}/item{p / paths}";
            foreach (var method in s_methods)
            {
                foreach (var status in s_statuses)
                {
                    counters.Add($"{{method=\"{method}\",path=\"{path}\",status=\"{status}\"}}");
                }
                foreach (var le in s_buckets)
                {
                    buckets.Add($"{{method=\"{method}\",path=\"{path}\",le=\"{le}\"}}");
                }
                gauges.Add($"{{method=\"{method}\",path=\"{path}\"}}");
            }
            total = counters.Count + buckets.Count + gauges.Count;
        }
        _families.Add(new Family("http_requests", "counter", "Requests handled.", "_total", [.. counters], Kind.Counter));
        _families.Add(new Family("http_request_duration_seconds", "histogram", "Request latency.", "_bucket", [.. buckets], Kind.Bucket));
        _families.Add(new Family("http_requests_in_flight", "gauge", "Requests being served.", "", [.. gauges], Kind.Gauge));
        Target = target;
    }

    public int Target { get; }

    public int Count
    {
        get
        {
            var count = 0;
            foreach (var family in _families)
            {
                count += family.Series.Length;
            }
            return count;
        }
    }

    /// <summary>The Prometheus text exposition at <paramref name="step"/>, as a scrape sees it.</summary>
    public void WriteScrape(StringBuilder text, long step)
    {
        for (var f = 0; f < _families.Count; f++)
        {
            var family = _families[f];
            WriteMetadata(text, family);
            for (var s = 0; s < family.Series.Length; s++)
            {
                text.Append(family.Name).Append(family.Suffix).Append(family.Series[s]).Append(' ')
                    .Append(Value(family.Kind, f, s, step).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }
    }

    public int FamilyCount => _families.Count;

    /// <summary>
    /// Family <paramref name="family"/>'s series over <paramref name="steps"/> scrapes as OpenMetrics samples with
    /// timestamps, with <paramref name="extraLabels"/> (job, instance) added as a scrape would, each series' points
    /// together. The caller writes a family's metadata once (<see cref="WriteFamilyMetadata"/>) and all targets' series
    /// of a family together: OpenMetrics wants families contiguous.
    /// </summary>
    public void WriteFamilyHistory(TextWriter output, int family, string extraLabels, long startSeconds, int steps, int interval)
    {
        var text = new StringBuilder(1 << 16);
        var f = _families[family];
        for (var s = 0; s < f.Series.Length; s++)
        {
            var labels = f.Series[s];
            for (var i = 0; i < steps; i++)
            {
                var seconds = startSeconds + ((long)i * interval);
                text.Append(f.Name).Append(f.Suffix).Append(labels, 0, labels.Length - 1).Append(',').Append(extraLabels)
                    .Append("} ").Append(Value(f.Kind, family, s, seconds / interval).ToString(CultureInfo.InvariantCulture))
                    .Append(' ').Append(seconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
            if (text.Length > 1 << 15)
            {
                output.Write(text);
                text.Clear();
            }
        }
        output.Write(text);
    }

    public void WriteFamilyMetadata(TextWriter output, int family)
    {
        var text = new StringBuilder();
        WriteMetadata(text, _families[family]);
        output.Write(text);
    }

    private static void WriteMetadata(StringBuilder text, Family family)
    {
        text.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help).Append('\n');
        text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type).Append('\n');
    }

    private double Value(Kind kind, int family, int series, long step)
    {
        var seed = Mix(((ulong)Target << 40) ^ ((ulong)family << 32) ^ (ulong)series);
        switch (kind)
        {
            case Kind.Counter:
                // Busy series grow by up to 20 a step, quiet ones now and then: monotonic, as counters are.
                var rate = (long)(seed % 21);
                return (step * rate) + (step / (2 + (long)(seed % 7)));
            case Kind.Bucket:
                // Cumulative buckets: the bucket index (le) grows the share; all grow together.
                var bucket = series % s_buckets.Length;
                var perStep = 1 + (int)(seed % 7);
                return step * perStep * (bucket + 1) / s_buckets.Length;
            default:
                var wander = (double)(Mix(seed ^ (ulong)step) % 1000) / 100.0;
                return Math.Round(wander + (seed % 50), 2);
        }
    }

    private static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdUL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53UL;
        return x ^ (x >> 33);
    }

    private enum Kind
    {
        Counter,
        Bucket,
        Gauge,
    }

    private sealed record Family(string Name, string Type, string Help, string Suffix, string[] Series, Kind Kind);
}
