using System.IO.Compression;
using System.Text;

namespace Kansoku.Cli.Tests.Logs;

/// <summary>
/// A container's log directory in the kubelet's layout under <c>&lt;root&gt;/pods</c>:
/// <c>&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/&lt;N&gt;.log</c>, rotated <c>N.log.&lt;stamp&gt;</c> and <c>.gz</c>.
/// </summary>
internal sealed class PodLogDirectory
{
    public PodLogDirectory(string root, string ns, string pod, string container)
    {
        Path = System.IO.Path.Combine(root, "pods", $"{ns}_{pod}_{Guid.NewGuid()}", container);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Appends lines (each gets its '\n') to <paramref name="file"/> (<c>0.log</c>, <c>1.log.20261125-080000</c>, …).</summary>
    public void Append(string file, params string[] lines)
    {
        using var stream = new FileStream(System.IO.Path.Combine(Path, file), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
    }

    /// <summary>Writes a gzip'd rotated file, as the kubelet compresses older rotations.</summary>
    public void WriteGzip(string file, params string[] lines)
    {
        using var stream = File.Create(System.IO.Path.Combine(Path, file));
        using var gzip = new GZipStream(stream, CompressionLevel.Fastest);
        gzip.Write(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
    }

    /// <summary>The kubelet's rotation: <c>N.log</c> is renamed to <c>N.log.&lt;stamp&gt;</c>; the runtime then writes a new <c>N.log</c>.</summary>
    public void Rotate(string file, string stamp) =>
        File.Move(System.IO.Path.Combine(Path, file), System.IO.Path.Combine(Path, file + "." + stamp));

    /// <summary>A docker json-file line; <paramref name="log"/> without "\n" is a partial line continued in the next.</summary>
    public static string Docker(DateTime utc, string log, string stream = "stdout") =>
        System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["log"] = log,
            ["stream"] = stream,
            ["time"] = utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", System.Globalization.CultureInfo.InvariantCulture) + "Z",
        });
}
