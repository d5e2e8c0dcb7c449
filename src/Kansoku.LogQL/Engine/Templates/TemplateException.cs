namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A template that does not parse, or fails while executing; the message reads like Go's text/template.</summary>
internal sealed class TemplateException : Exception
{
    public TemplateException()
    {
    }

    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
