using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Prometheus;

/// <summary>
/// A request's parameters as Go's <c>r.FormValue</c> / <c>r.Form</c> see them, which is how Prometheus reads them: a POST
/// form body (application/x-www-form-urlencoded) first, then the URL query.
/// </summary>
internal sealed class ApiRequest
{
    private readonly IFormCollection? _form;

    private ApiRequest(HttpContext context, IFormCollection? form)
    {
        Context = context;
        _form = form;
    }

    public HttpContext Context { get; }

    public static async Task<ApiRequest> ReadAsync(HttpContext context)
    {
        IFormCollection? form = null;
        if (context.Request.HasFormContentType)
        {
            try
            {
                form = await context.Request.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException e)
            {
                throw PrometheusApiException.BadData($"error parsing form values: {e.Message}");
            }
        }
        return new ApiRequest(context, form);
    }

    /// <summary>The first value of <paramref name="name"/>, or null when absent or empty.</summary>
    public string? Value(string name)
    {
        if (_form is not null && _form[name] is { Count: > 0 } posted && !string.IsNullOrEmpty(posted[0]))
        {
            return posted[0];
        }
        var query = Context.Request.Query[name];
        return query.Count > 0 && !string.IsNullOrEmpty(query[0]) ? query[0] : null;
    }

    /// <summary>Every value of <paramref name="name"/>, body first (e.g. the <c>match[]</c> list).</summary>
    public List<string> Values(string name)
    {
        var values = new List<string>();
        if (_form is not null)
        {
            foreach (var value in _form[name])
            {
                values.Add(value ?? "");
            }
        }
        foreach (var value in Context.Request.Query[name])
        {
            values.Add(value ?? "");
        }
        return values;
    }
}
