using System.Reflection;

namespace Kansoku.Server;

/// <summary>The running build, for the status endpoints.</summary>
internal static class BuildInfo
{
    private static readonly string s_informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version => s_informational.Split('+')[0];

    public static string Revision => s_informational.Contains('+', StringComparison.Ordinal) ? s_informational.Split('+')[1] : "";
}
