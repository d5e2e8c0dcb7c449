using System.Globalization;
using System.Text;

namespace Kansoku.Cli.Tests;

/// <summary>
/// One container's log laid out as the kubelet does under a root standing in for /var/log:
/// <c>pods/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/&lt;container&gt;/0.log</c> and the symlink
/// <c>containers/&lt;pod&gt;_&lt;ns&gt;_&lt;container&gt;-&lt;id&gt;.log</c> pointing at it.
/// </summary>
internal sealed class ContainerLog
{
    private ContainerLog(string root, string ns, string pod, string container, string? containersDirectory)
    {
        Namespace = ns;
        Pod = pod;
        Container = container;
        PodUid = Guid.NewGuid().ToString();
        ContainerId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var podDirectory = Path.Combine(root, "pods", $"{ns}_{pod}_{PodUid}", container);
        Directory.CreateDirectory(podDirectory);
        containersDirectory ??= Path.Combine(root, "containers");
        Directory.CreateDirectory(containersDirectory);
        FilePath = Path.Combine(podDirectory, "0.log");
        File.WriteAllText(FilePath, "");
        LinkPath = Path.Combine(containersDirectory, $"{pod}_{ns}_{container}-{ContainerId}.log");
        File.CreateSymbolicLink(LinkPath, FilePath);
    }

    public string Namespace { get; }
    public string Pod { get; }
    public string Container { get; }
    public string PodUid { get; }
    public string ContainerId { get; }

    /// <summary>The runtime's file: <c>pods/…/&lt;container&gt;/0.log</c>.</summary>
    public string FilePath { get; }

    /// <summary>The kubelet's symlink in <c>containers/</c>.</summary>
    public string LinkPath { get; }

    /// <param name="containersDirectory">Where the symlink goes; <c>&lt;root&gt;/containers</c> unless given (e.g. the real /var/log/containers).</param>
    public static ContainerLog Create(string root, string ns, string pod, string container, string? containersDirectory = null) =>
        new(root, ns, pod, container, containersDirectory);

    /// <summary>The glob for every container symlink under <paramref name="root"/>.</summary>
    public static string ContainersGlob(string root) => Path.Combine(root, "containers", "*.log");

    /// <summary>Appends CRI records (each already formatted by <see cref="Line"/>).</summary>
    public void Append(params string[] criLines)
    {
        var text = new StringBuilder();
        foreach (var line in criLines)
        {
            text.Append(line).Append('\n');
        }
        using var stream = new FileStream(FilePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        stream.Write(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <summary>A CRI record: <c>&lt;RFC3339Nano&gt; &lt;stream&gt; &lt;F|P&gt; &lt;content&gt;</c>.</summary>
    public static string Line(DateTime utc, string content, string stream = "stdout", string tag = "F") =>
        $"{utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture)}Z {stream} {tag} {content}";

    /// <summary>The agent's rendering of <paramref name="utc"/>: RFC 3339, nine fraction digits, UTC.</summary>
    public static string AgentTime(DateTime utc) =>
        utc.ToString("yyyy-MM-ddTHH:mm:ss.fffffff", CultureInfo.InvariantCulture) + "00Z";
}
