namespace Kansoku.LogQL.Engine;

/// <summary>A query that parsed but could not be evaluated; <see cref="Kind"/> says why (and which limit was hit).</summary>
internal sealed class LogQLEvaluationException : Exception
{
    public LogQLEvaluationException()
        : this(LogQLErrorKind.Execution, "query evaluation failed")
    {
    }

    public LogQLEvaluationException(string message)
        : this(LogQLErrorKind.Execution, message)
    {
    }

    public LogQLEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = LogQLErrorKind.Execution;
    }

    public LogQLEvaluationException(LogQLErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public LogQLEvaluationException(LogQLErrorKind kind, string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public LogQLErrorKind Kind { get; }
}
