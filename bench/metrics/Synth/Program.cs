using System.Globalization;
using System.Text;
using Kansoku.Bench.Synth;

// synth serve FIRST_PORT TARGETS SERIES_PER_TARGET [INTERVAL_S=15]
//   serves TARGETS /metrics endpoints on 127.0.0.1:FIRST_PORT.. whose values advance one step per interval.
// synth openmetrics FILE TARGETS SERIES_PER_TARGET START_UNIX_S HOURS [INTERVAL_S=15] [FIRST_PORT=19000]
//   writes the same series (with job and instance labels as a scrape would add them) for HOURS as an OpenMetrics file.
const string usage = "usage: synth serve FIRST_PORT TARGETS SERIES_PER_TARGET [INTERVAL_S]\n" +
    "       synth openmetrics FILE TARGETS SERIES_PER_TARGET START_UNIX_S HOURS [INTERVAL_S] [FIRST_PORT]";
static int Int(string text) => int.Parse(text, CultureInfo.InvariantCulture);

switch (args)
{
    case ["serve", var firstPort, var targets, var series, .. var rest] when rest.Length <= 1:
    {
        var interval = rest.Length == 1 ? Int(rest[0]) : 15;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var sets = new List<SeriesSet>();
        builder.WebHost.UseKestrel(kestrel =>
        {
            for (var t = 0; t < Int(targets); t++)
            {
                kestrel.ListenLocalhost(Int(firstPort) + t);
            }
        });
        for (var t = 0; t < Int(targets); t++)
        {
            sets.Add(new SeriesSet(t, Int(series)));
        }
        var app = builder.Build();
        var first = Int(firstPort);
        app.MapGet("/metrics", async context =>
        {
            var set = sets[context.Connection.LocalPort - first];
            var step = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / interval;
            var text = new StringBuilder(set.Count * 80);
            set.WriteScrape(text, step);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, text.ToString());
        });
        Console.WriteLine($"serving {Int(targets)} targets x {sets[0].Count} series from 127.0.0.1:{first}");
        await app.RunAsync();
        return 0;
    }
    case ["openmetrics", var file, var targets, var series, var start, var hours, .. var rest] when rest.Length <= 2:
    {
        var interval = rest.Length >= 1 ? Int(rest[0]) : 15;
        var firstPort = rest.Length == 2 ? Int(rest[1]) : 19000;
        var startSeconds = long.Parse(start, CultureInfo.InvariantCulture);
        var steps = Int(hours) * 3600 / interval;
        using var output = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20);
        var sets = new List<SeriesSet>();
        for (var t = 0; t < Int(targets); t++)
        {
            sets.Add(new SeriesSet(t, Int(series)));
        }
        for (var f = 0; f < sets[0].FamilyCount; f++)
        {
            sets[0].WriteFamilyMetadata(output, f);
            for (var t = 0; t < sets.Count; t++)
            {
                sets[t].WriteFamilyHistory(output, f, $"instance=\"localhost:{firstPort + t}\",job=\"synth\"", startSeconds, steps, interval);
            }
        }
        var samples = (long)sets[0].Count * sets.Count * steps;
        output.Write("# EOF\n");
        Console.WriteLine($"wrote {samples} samples of {Int(targets)} x {new SeriesSet(0, Int(series)).Count} series over {hours} h to {file}");
        return 0;
    }
    default:
        Console.Error.WriteLine(usage);
        return 2;
}
