using System.Text;

namespace Kansoku.Cli.Commands.Logs;

/// <summary>
/// stern's colours: each pod gets a pair, its name in the bright colour and its containers' in the normal one. The
/// pair comes from a hash of the pod name, so a pod keeps its colour from one run to the next.
/// </summary>
internal static class TerminalColors
{
    private const string Reset = "\e[0m";

    // (bright, normal): cyan, green, magenta, yellow, blue, red, as stern's colorList.
    private static readonly (string Pod, string Container)[] s_pairs =
    [
        ("\e[96m", "\e[36m"), ("\e[92m", "\e[32m"), ("\e[95m", "\e[35m"), ("\e[93m", "\e[33m"), ("\e[94m", "\e[34m"), ("\e[91m", "\e[31m"),
    ];

    /// <summary><c>--color auto</c>: colour when standard output is a terminal that wants it (no NO_COLOR, no TERM=dumb).</summary>
    public static bool Auto() =>
        !Console.IsOutputRedirected
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
        && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);

    /// <summary>The <c>pod container </c> prefix, coloured or plain; an empty container is left out.</summary>
    public static string Prefix(string pod, string container, bool color)
    {
        var (podColor, containerColor) = s_pairs[Fnv1a(pod) % (uint)s_pairs.Length];
        var text = new StringBuilder();
        Append(text, pod, color ? podColor : null);
        if (container.Length > 0)
        {
            Append(text, container, color ? containerColor : null);
        }
        return text.ToString();
    }

    private static void Append(StringBuilder text, string value, string? color)
    {
        if (color is null)
        {
            text.Append(value).Append(' ');
        }
        else
        {
            text.Append(color).Append(value).Append(Reset).Append(' ');
        }
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
