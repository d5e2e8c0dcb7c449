namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>A [MULTILINE_PARSER] as built: its name, its rule and how long a record may wait for more lines.</summary>
internal sealed record MultilineDefinition(string Name, IMultilineRule Rule, TimeSpan FlushTimeout);
