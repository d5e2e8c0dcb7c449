using System.Buffers;
using System.Text;
using Kansoku.Core.Exposition;

namespace Kansoku.Core.Tests.Exposition;

public sealed class MetricRegistryTests
{
    [Fact]
    public void Registered_families_are_written_in_order_with_their_children()
    {
        var registry = new MetricRegistry();
        var requests = registry.CounterFamily("requests_total", "Requests served.", "method", "code");
        requests.WithLabels("GET", "200").Inc();
        requests.WithLabels("GET", "200").Inc(2);
        requests.WithLabels("POST", "").Inc();
        var inFlight = registry.Gauge("in_flight", "Requests being served.");
        inFlight.Inc();
        inFlight.Inc();
        inFlight.Dec();

        Assert.Equal(
            "# HELP requests_total Requests served.\n# TYPE requests_total counter\n"
            + "requests_total{method=\"GET\",code=\"200\"} 3\n"
            + "requests_total{method=\"POST\"} 1\n"
            + "# HELP in_flight Requests being served.\n# TYPE in_flight gauge\n"
            + "in_flight 1\n",
            Write(registry));
    }

    [Fact]
    public void Histograms_count_cumulatively_with_bounds_inclusive()
    {
        var registry = new MetricRegistry();
        var latency = registry.Histogram("latency_seconds", "Latency.", [0.1, 1]);
        foreach (var observation in new[] { 0.05, 0.1, 0.5, 2 })
        {
            latency.Observe(observation);
        }
        Assert.Equal(
            "# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n"
            + "latency_seconds_bucket{le=\"0.1\"} 2\n"
            + "latency_seconds_bucket{le=\"1\"} 3\n"
            + "latency_seconds_bucket{le=\"+Inf\"} 4\n"
            + "latency_seconds_sum 2.65\n"
            + "latency_seconds_count 4\n",
            Write(registry));
    }

    [Fact]
    public void Concurrent_increments_are_not_lost()
    {
        var registry = new MetricRegistry();
        var counter = registry.Counter("work_total", "Work.");
        var histogram = registry.Histogram("work_seconds", "Work time.");
        Parallel.For(0, 40_000, i =>
        {
            counter.Inc();
            histogram.Observe(0.5);
        });
        Assert.Equal(40_000, counter.Value);
        Assert.Equal(40_000, histogram.Count);
        Assert.Equal(20_000, histogram.Sum);
    }

    [Fact]
    public void Collectors_write_after_the_families()
    {
        var registry = new MetricRegistry();
        registry.Gauge("a", "A.").Set(-1.25);
        registry.AddCollector(writer =>
        {
            writer.WriteFamily("b_total", "B.", MetricKind.Counter);
            writer.WriteSample("b_total", [], 7L);
        });
        Assert.Equal("# HELP a A.\n# TYPE a gauge\na -1.25\n# HELP b_total B.\n# TYPE b_total counter\nb_total 7\n", Write(registry));
    }

    [Fact]
    public void Invalid_or_duplicate_names_and_wrong_label_counts_are_refused()
    {
        var registry = new MetricRegistry();
        registry.Counter("ok_total", "Ok.");
        Assert.Throws<ArgumentException>(() => registry.Counter("ok_total", "Again."));
        Assert.Throws<ArgumentException>(() => registry.Counter("1bad", "Bad."));
        Assert.Throws<ArgumentException>(() => registry.CounterFamily("good_total", "Good.", "bad:label"));
        Assert.Throws<ArgumentException>(() => registry.Histogram("h", "H.", [1, 1]));
        var family = registry.GaugeFamily("g", "G.", "x");
        Assert.Throws<ArgumentException>(() => family.WithLabels("1", "2"));
        Assert.Throws<ArgumentOutOfRangeException>(() => registry.Counter("c_total", "C.").Inc(-1));
    }

    private static string Write(MetricRegistry registry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        registry.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
