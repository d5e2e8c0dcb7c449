using System.Globalization;
using Kansoku.Testing;
using Xunit.Abstractions;

namespace Kansoku.PromQL.Tests.Conformance;

/// <summary>
/// Prometheus' own PromQL scripts (promql/promqltest/testdata), read in place from the shared conformance folder:
/// one test per file. Each reads the whole file, loads every float block into the store, sorts the evals into target /
/// native-histogram / experimental, and prints the counts. The evals themselves run once the parser's AST is merged
/// (the engine needs it); until then the file's eval count is checked against INDEX.md.
/// </summary>
public sealed class PromQLConformanceTests(ITestOutputHelper output)
{
    private static readonly string Folder = RepositoryPaths.Shared("conformance", "promql");

    /// <summary>Files whose whole subject is an experimental engine setting (type-and-unit labels).</summary>
    private static readonly HashSet<string> ExperimentalFiles = ["type_and_unit.test"];

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
        int evals = 0, instant = 0, range = 0, floatSamples = 0, skippedBlocks = 0;
        foreach (var command in commands)
        {
            switch (command)
            {
                case ClearCommand:
                    store.Clear();
                    histogramNames.Clear();
                    break;
                case LoadCommand load when load.NeedsNativeHistograms:
                    skippedBlocks++;
                    histogramNames.UnionWith(EvalClassifier.HistogramNames(load));
                    break;
                case LoadCommand load:
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
                    break;
            }
        }

        output.WriteLine(
            $"{file}: {evals} evals ({instant} instant, {range} range): target {counts.GetValueOrDefault(EvalScope.Target)}, " +
            $"native histogram {counts.GetValueOrDefault(EvalScope.NativeHistogram)}, experimental {counts.GetValueOrDefault(EvalScope.Experimental)}; " +
            $"passed 0 (engine not wired: parser AST not merged yet)");
        output.WriteLine(
            $"  loaded {floatSamples} float samples into {store.SeriesCount} series at the end; {skippedBlocks} histogram blocks skipped; " +
            $"{store.OverwrittenOrOutOfOrder} samples older than their series' newest (why the store is not the TSDB)");

        var indexed = IndexedCounts(file);
        Assert.Equal(indexed.Evals, evals);
        Assert.Equal(indexed.Instant, instant);
        Assert.Equal(indexed.Range, range);
    }

    private static int Load(InMemorySampleStore store, LoadCommand load)
    {
        var samples = 0;
        foreach (var series in load.Series)
        {
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
