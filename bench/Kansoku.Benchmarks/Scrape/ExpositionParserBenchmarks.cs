using BenchmarkDotNet.Attributes;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Benchmarks.Scrape;

/// <summary>
/// Parsing a ~1 MiB node-exporter-like body, per scrape (one operation = the whole body): only Next() and the sample
/// fields, as a scrape cache hit does, and Next() with GetLabels() (and the created timestamp and exemplar) for every
/// series, as Prometheus' textparse benchmark (model/textparse/benchmark_test.go) does per entry.
/// Throughput = body bytes / mean; results and the Prometheus comparison are in docs/benchmarks.md of this change's report.
/// </summary>
[MemoryDiagnoser]
public class ExpositionParserBenchmarks
{
    private const int BodyBytes = 1 << 20;

    private byte[] _text = [];
    private byte[] _openMetrics = [];

    [GlobalSetup]
    public void Setup()
    {
        _text = NodeExporterBody.Create(BodyBytes, openMetrics: false);
        _openMetrics = NodeExporterBody.Create(BodyBytes, openMetrics: true);
        Console.WriteLine($"// text body {_text.Length} bytes, OpenMetrics body {_openMetrics.Length} bytes");
    }

    [Benchmark(Description = "text 0.0.4, Next only")]
    public double TextNext() => Read(new PrometheusTextParser(_text), labels: false);

    [Benchmark(Description = "text 0.0.4, Next + GetLabels")]
    public double TextLabels() => Read(new PrometheusTextParser(_text), labels: true);

    [Benchmark(Description = "OpenMetrics (Prometheus checks), Next only")]
    public double OpenMetricsNext() => Read(new OpenMetricsParser(_openMetrics, OpenMetricsChecks.Prometheus, skipCreatedSeries: true), labels: false);

    [Benchmark(Description = "OpenMetrics (Prometheus checks), Next + GetLabels")]
    public double OpenMetricsLabels() => Read(new OpenMetricsParser(_openMetrics, OpenMetricsChecks.Prometheus, skipCreatedSeries: true), labels: true);

    [Benchmark(Description = "OpenMetrics (conformance checks), Next only")]
    public double OpenMetricsConformanceNext() => Read(new OpenMetricsParser(_openMetrics, OpenMetricsChecks.Conformance, skipCreatedSeries: true), labels: false);

    private static double Read(IExpositionParser parser, bool labels)
    {
        double sum = 0;
        ExpositionEntry entry;
        while ((entry = parser.Next()) != ExpositionEntry.EndOfInput)
        {
            if (entry != ExpositionEntry.Series)
            {
                continue;
            }
            sum += parser.Value + parser.Series.Length + (parser.CreatedTimestampMs ?? 0);
            if (labels)
            {
                sum += parser.GetLabels().Count;
                if (parser.TryGetExemplar(out var exemplar))
                {
                    sum += exemplar.Value;
                }
            }
        }
        return sum;
    }
}
