namespace Kansoku.Agent.Parsers.Multiline;

/// <summary>The stack trace shapes a <see cref="BuiltInMultilineRule"/> recognises.</summary>
[Flags]
internal enum MultilineLanguages
{
    None = 0,
    Java = 1,
    Python = 2,
    Go = 4,
    DotNet = 8,
    NodeJs = 16,
    All = Java | Python | Go | DotNet | NodeJs,
}
