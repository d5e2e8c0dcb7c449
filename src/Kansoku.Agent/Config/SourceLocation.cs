namespace Kansoku.Agent.Config;

/// <summary>A place in a configuration file; line and column are 1-based, 0 when unknown.</summary>
internal readonly record struct SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => Line <= 0 ? File : Column <= 0 ? $"{File}:{Line}" : $"{File}:{Line}:{Column}";
}
