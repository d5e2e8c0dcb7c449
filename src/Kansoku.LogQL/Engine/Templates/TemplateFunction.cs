namespace Kansoku.LogQL.Engine.Templates;

/// <summary>A template function; throws <see cref="TemplateException"/> with Go's wording on bad arguments or failure.</summary>
internal delegate object? TemplateFunction(TemplateContext context, object?[] args);
