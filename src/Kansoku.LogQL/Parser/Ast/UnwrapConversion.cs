namespace Kansoku.LogQL.Parser.Ast;

/// <summary>How <c>| unwrap</c> turns the label value into a sample value.</summary>
internal enum UnwrapConversion
{
    /// <summary><c>unwrap x</c>: parse as a float.</summary>
    None,
    /// <summary><c>unwrap bytes(x)</c>: parse a byte size (<c>5 MiB</c>) into bytes.</summary>
    Bytes,
    /// <summary><c>unwrap duration(x)</c>: parse a Go duration into seconds.</summary>
    Duration,
    /// <summary><c>unwrap duration_seconds(x)</c>: same as <see cref="Duration"/>.</summary>
    DurationSeconds,
}
