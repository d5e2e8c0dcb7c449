using System.Text;
using Kansoku.LogQL.Parser;

namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>A Loki pattern as UTF-8 literals and captures, for matching lines as bytes.</summary>
internal sealed class CompiledPattern
{
    public CompiledPattern(LinePattern pattern)
    {
        var parts = new Part[pattern.Parts.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var part = pattern.Parts[i];
            parts[i] = part.IsCapture
                ? new Part(null, part.IsNamedCapture ? part.Text : null)
                : new Part(Encoding.UTF8.GetBytes(part.Text), null);
        }
        Parts = parts;
    }

    public Part[] Parts { get; }

    /// <summary>A literal (<see cref="Literal"/> set) or a capture (<see cref="Name"/> null for <c>&lt;_&gt;</c>).</summary>
    internal readonly record struct Part(byte[]? Literal, string? Name)
    {
        public bool IsCapture => Literal is null;
    }
}
