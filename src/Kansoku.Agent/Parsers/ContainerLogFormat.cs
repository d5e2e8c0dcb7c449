namespace Kansoku.Agent.Parsers;

/// <summary>The wrapper a container runtime writes around each line of a container's output.</summary>
internal enum ContainerLogFormat : byte
{
    Unknown = 0,

    /// <summary>containerd / CRI-O: <c>&lt;time&gt; &lt;stream&gt; &lt;P|F&gt; &lt;content&gt;</c>.</summary>
    Cri = 1,

    /// <summary>docker's json-file driver: <c>{"log":…,"stream":…,"time":…}</c>.</summary>
    DockerJson = 2,

    /// <summary>Not a container runtime's file: each line is the content, timed when it is read.</summary>
    Raw = 3,
}
