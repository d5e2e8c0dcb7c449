namespace Kansoku.Scrape.Operator;

/// <summary>A monitor the operator would reject, with the field at fault (e.g. <c>spec.endpoints[0].interval</c>) in the message.</summary>
internal sealed class MonitorException : Exception
{
    public MonitorException()
    {
    }

    public MonitorException(string message) : base(message)
    {
    }

    public MonitorException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
