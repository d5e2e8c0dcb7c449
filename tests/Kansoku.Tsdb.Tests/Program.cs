using System.Globalization;

namespace Kansoku.Tsdb.Tests;

/// <summary>
/// The entry point of the test assembly when run as a program: <c>wal-writer DIR</c> commits one sample to each of ten
/// series per transaction, forever, printing each transaction's number once Commit has returned, until it is killed;
/// <c>measure-import</c> and <c>measure-head</c> run <see cref="Tools.ImportMeasurement"/> and <see cref="Tools.HeadMeasurement"/>.
/// </summary>
public static class Program
{
    public const int Series = 10;

    public static async Task<int> Main(string[] args)
    {
        if (args is ["measure-import", var file, var directory])
        {
            return Tools.ImportMeasurement.Run(file, directory);
        }
        if (args is ["measure-head", var series, var minutes, var headDirectory])
        {
            return await Tools.HeadMeasurement.Run(int.Parse(series, CultureInfo.InvariantCulture), int.Parse(minutes, CultureInfo.InvariantCulture), headDirectory);
        }
        if (args.Length != 2 || args[0] != "wal-writer")
        {
            return 2;
        }
        await using var store = Tsdb.Open(new TsdbOptions { DataDirectory = args[1], BackgroundCompaction = false }, TimeProvider.System);
        var refs = new ulong[Series];
        var labels = Enumerable.Range(0, Series).Select(TsdbFixture.Labels).ToArray();
        for (var step = 0L; ; step++)
        {
            var appender = store.Appender();
            for (var s = 0; s < Series; s++)
            {
                refs[s] = appender.Append(refs[s], labels[s], step * TsdbFixture.Interval, TsdbFixture.Expected(s, step * TsdbFixture.Interval));
            }
            appender.Commit();
            await Console.Out.WriteLineAsync(step.ToString(CultureInfo.InvariantCulture));
            await Console.Out.FlushAsync();
        }
    }
}
