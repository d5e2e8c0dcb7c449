using System.CommandLine;
using Kansoku.Cli.Commands.Tsdb;

namespace Kansoku.Cli.Commands;

/// <summary>
/// <c>kansoku tsdb import openmetrics FILE --data-dir DIR</c>: backfill, as <c>promtool tsdb create-blocks-from
/// openmetrics</c>, into the metrics store of a server's data directory (DIR/metrics); start or restart the server on
/// DIR afterwards to query the data.
/// </summary>
internal static class TsdbCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "An OpenMetrics text file whose samples all have timestamps." };
        var dataDir = new Option<string>("--data-dir") { Description = "The server's data directory.", DefaultValueFactory = _ => "data" };
        var openMetrics = new Command("openmetrics", "Load an OpenMetrics file into blocks.") { file, dataDir };
        openMetrics.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var source = parseResult.GetValue(file)!;
            var target = Path.Combine(Path.GetFullPath(parseResult.GetValue(dataDir)!), "metrics");
            try
            {
                var result = OpenMetricsImporter.Import(source, target, TimeProvider.System);
                output.WriteLine($"imported {result.Samples} samples of {result.Series} series into {result.Blocks.Count} blocks in {target}");
                return 0;
            }
            catch (Exception e) when (e is ImportException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"kansoku tsdb import: {e.Message}");
                return 1;
            }
        });
        var import = new Command("import", "Backfill metrics from a file.") { openMetrics };
        return new Command("tsdb", "Work on the metrics store's data directory.") { import };
    }
}
