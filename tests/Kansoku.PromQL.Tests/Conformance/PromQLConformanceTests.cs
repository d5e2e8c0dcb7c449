using System.Globalization;
using Kansoku.Testing;
using Xunit.Abstractions;

namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>
/// Prometheus' own PromQL scripts (promql/promqltest/testdata), read in place from the shared conformance folder:
/// one test per file. Each reads the whole file, loads every float series into the store (histogram series are skipped), sorts the evals into target /
/// native-histogram / experimental, runs the first two through the engine and prints pass counts with every failing
/// target eval. The pass count must stay at or above the file's floor, and the eval count must match INDEX.md.
/// </summary>
public sealed class PromQLConformanceTests(ITestOutputHelper output)
{
    private static readonly string Folder = RepositoryPaths.Shared("conformance", "promql");

    /// <summary>Files whose whole subject is an experimental engine setting (type-and-unit labels).</summary>
    private static readonly HashSet<string> ExperimentalFiles = ["type_and_unit.test"];

    /// <summary>Target evals each file passed when last raised; a drop below is a regression.</summary>
    private static readonly Dictionary<string, int> Floors = new()
    {
        ["aggregators.test"] = 123,
        ["at_modifier.test"] = 78,
        ["collision.test"] = 2,
        ["duration_expression.test"] = 4,
        ["extended_vectors.test"] = 30,
        ["fill-modifier.test"] = 1,
        ["functions.test"] = 287,
        ["histograms.test"] = 82,
        ["info.test"] = 0,
        ["limit.test"] = 0,
        ["literals.test"] = 25,
        ["name_label_dropping.test"] = 30,
        ["native_histograms.test"] = 0,
        ["operators.test"] = 142,
        ["range_queries.test"] = 16,
        ["selectors.test"] = 31,
        ["staleness.test"] = 17,
        ["start_timestamps.test"] = 2,
        ["subquery.test"] = 32,
        ["trig_functions.test"] = 19,
        ["type_and_unit.test"] = 0,
    };

    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Folder, "*.test").Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }
        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Script(string file)
    {
        var commands = ScriptReader.Read(Path.Combine(Folder, file));
        var store = new InMemorySampleStore();
        var histogramNames = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<EvalScope, int>();
        var passed = new Dictionary<EvalScope, int>();
        var failures = new List<string>();
        var runner = new EvalRunner(store);
        int evals = 0, instant = 0, range = 0, floatSamples = 0, histogramBlocks = 0;
        foreach (var command in commands)
        {
            switch (command)
            {
                case ClearCommand:
                    store.Clear();
                    histogramNames.Clear();
                    break;
                case LoadCommand load:
                    if (load.NeedsNativeHistograms)
                    {
                        histogramBlocks++;
                        histogramNames.UnionWith(EvalClassifier.HistogramNames(load));
                    }
                    floatSamples += Load(store, load);
                    break;
                case EvalCommand eval:
                    evals++;
                    if (eval.IsRange)
                    {
                        range++;
                    }
                    else
                    {
                        instant++;
                    }
                    var scope = EvalClassifier.Classify(eval, histogramNames, ExperimentalFiles.Contains(file));
                    counts[scope] = counts.GetValueOrDefault(scope) + 1;
                    if (scope == EvalScope.NativeHistogram)
                    {
                        break;
                    }
                    var failure = runner.Check(eval);
                    if (failure is null)
                    {
                        passed[scope] = passed.GetValueOrDefault(scope) + 1;
                    }
                    else
                    {
                        failures.Add($"  {(scope == EvalScope.Target ? "line" : "experimental, line")} {eval.Line}: {eval.Expression}: {failure}");
                    }
                    break;
            }
        }

        output.WriteLine(
            $"{file}: {evals} evals ({instant} instant, {range} range): target passed {passed.GetValueOrDefault(EvalScope.Target)}/{counts.GetValueOrDefault(EvalScope.Target)}, " +
            $"experimental passed {passed.GetValueOrDefault(EvalScope.Experimental)}/{counts.GetValueOrDefault(EvalScope.Experimental)}, " +
            $"native histogram skipped {counts.GetValueOrDefault(EvalScope.NativeHistogram)}");
        output.WriteLine(
            $"  loaded {floatSamples} float samples into {store.SeriesCount} series at the end; {histogramBlocks} blocks with native histograms (their histogram series skipped); " +
            $"{store.OverwrittenOrOutOfOrder} samples older than their series' newest (why the store is not the TSDB)");

        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        var indexed = IndexedCounts(file);
        Assert.True(passed.GetValueOrDefault(EvalScope.Target) >= Floors.GetValueOrDefault(file),
            $"{file}: {passed.GetValueOrDefault(EvalScope.Target)} target evals pass, the floor is {Floors.GetValueOrDefault(file)}");
        Assert.Equal(indexed.Evals, evals);
        Assert.Equal(indexed.Instant, instant);
        Assert.Equal(indexed.Range, range);
    }

    private static int Load(InMemorySampleStore store, LoadCommand load)
    {
        var samples = 0;
        foreach (var series in load.Series)
        {
            if (HasHistogram(series))
            {
                continue;
            }
            for (var k = 0; k < series.Values.Count; k++)
            {
                var value = series.Values[k];
                if (value.Kind == SequenceValueKind.Float)
                {
                    store.Add(series.Labels, k * load.IntervalMs, value.Value);
                    samples++;
                }
            }
        }
        return samples;
    }

    private static bool HasHistogram(LoadedSeries series)
    {
        foreach (var value in series.Values)
        {
            if (value.Kind == SequenceValueKind.Histogram)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The eval counts INDEX.md gives for <paramref name="file"/> (its table: file, evals, instant, range, ...).</summary>
    private static (int Evals, int Instant, int Range) IndexedCounts(string file)
    {
        foreach (var line in File.ReadLines(Path.Combine(Folder, "INDEX.md")))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length > 5 && cells[1] == file)
            {
                return (int.Parse(cells[2], CultureInfo.InvariantCulture), int.Parse(cells[3], CultureInfo.InvariantCulture),
                    int.Parse(cells[4], CultureInfo.InvariantCulture));
            }
        }
        throw new InvalidOperationException($"{file} is not in INDEX.md");
    }
}
