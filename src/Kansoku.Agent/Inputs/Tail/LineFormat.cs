namespace Kansoku.Agent.Inputs.Tail;

/// <summary>How a file's lines are wrapped; detected from its first line, as the kubelet does.</summary>
internal enum LineFormat : byte
{
    Unknown = 0,
    /// <summary><c>&lt;time&gt; &lt;stream&gt; &lt;P|F&gt; &lt;content&gt;</c> (containerd, CRI-O).</summary>
    Cri = 1,
    /// <summary>docker json-file: <c>{"log":"…\n","stream":"stdout","time":"…"}</c>.</summary>
    DockerJson = 2,
    /// <summary>Plain text: each line is the content; time is when it was read.</summary>
    Raw = 3,
}
