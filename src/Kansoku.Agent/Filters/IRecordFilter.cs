using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Filters;

/// <summary>A filter (Fluent Bit's [FILTER]): changes a record in place or drops it. Called from one thread at a time.</summary>
internal interface IRecordFilter
{
    /// <summary>Returns false to drop the record.</summary>
    bool Apply(LogRecord record);
}
