namespace Kansoku.Cli.Commands.Logs;

/// <summary><c>-o</c>: how each entry is printed.</summary>
internal enum OutputFormat
{
    /// <summary>The message (a record's <c>log</c> field) after a <c>pod container</c> prefix, as stern prints.</summary>
    Text,

    /// <summary><c>{"timestamp","labels","line"}</c>, one object per line.</summary>
    Json,

    /// <summary>The line as stored.</summary>
    Raw,
}
