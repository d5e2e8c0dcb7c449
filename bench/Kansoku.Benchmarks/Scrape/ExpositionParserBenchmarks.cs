using BenchmarkDotNet.Attributes;
using Kansoku.Scrape.TextParse;

namespace Kansoku.Benchmarks.Scrape;

/// <summary>
/// Parsing a ~1 MiB node-exporter-like body, per scrape (one operation = the whole body): only Next() and the sample
/// fields, as a scrape cache hit does, and Next() with GetLabels() (and the created timestamp and exemplar) for every
/// series, as Prometheus' textparse benchmark (model/textparse/benchmark_test.go) does per entry. Throughput = body
/// bytes / mean. Run: <c>dotnet run -c Release --project bench/Kansoku.Benchmarks -- --filter '*ExpositionParser*' --inProcess --job short</c>.
/// </summary>
/// <remarks>
/// 2026-12-04, AMD EPYC, 2 vCPUs shared with five other builds (load average 22-31), so wall times swing 3x between
/// runs. BenchmarkDotNet, short job, in process (MiB body, text 1,049,749 B, OpenMetrics 1,103,923 B):
/// <code>
/// | text 0.0.4, Next only                             | 44.75 ms | +-10.1 ms |        584 B |
/// | text 0.0.4, Next + GetLabels                      | 28.54 ms | +-14.6 ms | 11,850,464 B |
/// | OpenMetrics (Prometheus checks), Next only        | 13.73 ms |  +-2.6 ms |      1,472 B |
/// | OpenMetrics (Prometheus checks), Next + GetLabels | 29.26 ms |  +-1.7 ms |  7,229,320 B |
/// | OpenMetrics (conformance checks), Next only       | 15.67 ms |  +-2.6 ms |     51,872 B |
/// </code>
/// CPU time (process time, so less hurt by the shared cores) on Prometheus' own input, alltypes.237mfs.prom.txt
/// repeated to 1 MiB, text parser: Next only 280-535 MB/s; Next + GetLabels for every series 83-103 MB/s, of which
/// LabelSet.From's sorting dictionary is about half (155-160 MB/s with it taken out). Prometheus publishes
/// (prometheus/prometheus#19393, Apple M2 Max, same input, Labels() per series) 767.7 µs = 248 MB/s for promtext,
/// 578 µs = 329 MB/s with that change. Allocation per body is the parser object alone for Next; 0 bytes per series line.
/// </remarks>
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
    public double OpenMetricsNext() => Read(OpenMetrics(OpenMetricsChecks.Prometheus), labels: false);

    [Benchmark(Description = "OpenMetrics (Prometheus checks), Next + GetLabels")]
    public double OpenMetricsLabels() => Read(OpenMetrics(OpenMetricsChecks.Prometheus), labels: true);

    [Benchmark(Description = "OpenMetrics (conformance checks), Next only")]
    public double OpenMetricsConformanceNext() => Read(OpenMetrics(OpenMetricsChecks.Conformance), labels: false);

    // Skipping _created lines as Prometheus' omtext benchmark does; their value still reaches CreatedTimestampMs.
    private OpenMetricsParser OpenMetrics(OpenMetricsChecks checks) => new(_openMetrics, checks, skipCreatedSeries: true);

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
