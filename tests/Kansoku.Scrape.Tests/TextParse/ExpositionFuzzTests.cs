using Kansoku.Scrape.TextParse;
using Kansoku.Testing;

namespace Kansoku.Scrape.Tests.TextParse;

/// <summary>
/// Random mutations of the conformance inputs: every parser either reads them or throws ExpositionFormatException, never
/// anything else, and every entry moves forward (at most one entry per byte), so no input can make it loop.
/// </summary>
public sealed class ExpositionFuzzTests
{
    private const int MutationsPerInput = 60;

    // Bytes that mean something to one of the grammars, so mutations reach past the first check.
    private static readonly byte[] s_interesting = "{}\",=# \n\t\\.-+eE0123456789_:aZ\0\xff"u8.ToArray();

    public static TheoryData<string> Inputs()
    {
        var data = new TheoryData<string>();
        foreach (var directory in Directory.GetDirectories(RepositoryPaths.Shared("conformance", "openmetrics", "parsers")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.Combine(directory, "metrics"));
        }
        foreach (var file in Directory.GetFiles(RepositoryPaths.Shared("conformance", "textparse"), "*.txt").Order(StringComparer.Ordinal))
        {
            if (!file.EndsWith("SOURCE.txt", StringComparison.Ordinal))
            {
                data.Add(file);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Mutations_only_ever_fail_with_a_format_error(string path)
    {
        var original = File.ReadAllBytes(path);
        // string.GetHashCode is randomised per process; a fixed seed per input keeps failures reproducible.
        var random = new Random(Path.GetRelativePath(RepositoryPaths.SharedDirectory, path).Aggregate(17, (hash, c) => unchecked((hash * 31) + c)));
        var mutations = original.Length > 100_000 ? 8 : MutationsPerInput;
        for (var i = 0; i < mutations; i++)
        {
            var body = Mutate(original, random);
            foreach (var parser in new IExpositionParser[]
                     {
                         new PrometheusTextParser(body),
                         new OpenMetricsParser(body, OpenMetricsChecks.Prometheus),
                         new OpenMetricsParser(body, OpenMetricsChecks.Conformance, skipCreatedSeries: true),
                     })
            {
                try
                {
                    ParserDriver.ReadAll(parser, maxEntries: body.Length + 1);
                }
                catch (ExpositionFormatException error)
                {
                    Assert.InRange(error.Line, 1, body.AsSpan().Count((byte)'\n') + 1);
                    Assert.InRange(error.Column, 1, body.Length + 1);
                }
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var body = new List<byte>(original);
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = body.Count == 0 ? 0 : random.Next(body.Count);
            switch (random.Next(5))
            {
                case 0 when body.Count > 0:
                    body[at] = s_interesting[random.Next(s_interesting.Length)];
                    break;
                case 1:
                    body.Insert(at, s_interesting[random.Next(s_interesting.Length)]);
                    break;
                case 2 when body.Count > 0:
                    body.RemoveRange(at, Math.Min(random.Next(1, 8), body.Count - at));
                    break;
                case 3 when body.Count > 0:
                    var length = Math.Min(random.Next(1, 40), body.Count - at);
                    body.InsertRange(random.Next(body.Count), body.GetRange(at, length));
                    break;
                default:
                    body.RemoveRange(at, body.Count - at);
                    break;
            }
        }
        return [.. body];
    }
}
