using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Parsers;

/// <summary>
/// A named parser (Fluent Bit's [PARSER]) applied to a record's content, never to the CRI / docker wrapper.
/// </summary>
internal interface IContentParser
{
    string Name { get; }

    /// <summary>
    /// Parses <see cref="LogRecord.Content"/>. On a match it stores the fields (<see cref="LogRecord.SetRawFields"/>),
    /// sets <see cref="LogRecord.TimeUnixNano"/> from the time key when there is one and it parses, and
    /// <see cref="LogRecord.Severity"/>. Returns false, leaving the record as it was, when the content does not match
    /// (Fluent Bit then keeps the unparsed line). Must not throw on any input.
    /// </summary>
    bool TryParse(LogRecord record);
}
