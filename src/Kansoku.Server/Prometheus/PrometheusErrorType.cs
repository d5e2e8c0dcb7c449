namespace Kansoku.Server.Prometheus;

/// <summary>Prometheus' API error types; each has a fixed HTTP status (web/api/v1/api.go <c>respondError</c>).</summary>
internal enum PrometheusErrorType
{
    /// <summary><c>bad_data</c>, 400: a parameter or the query is invalid.</summary>
    BadData,

    /// <summary><c>execution</c>, 422: a valid query failed while it ran.</summary>
    Execution,

    /// <summary><c>timeout</c>, 503: the query ran past its timeout.</summary>
    Timeout,

    /// <summary><c>canceled</c>, 503: the client went away or the server is stopping.</summary>
    Canceled,

    /// <summary><c>internal</c>, 500.</summary>
    Internal,

    /// <summary><c>unavailable</c>, 503.</summary>
    Unavailable,

    /// <summary><c>not_found</c>, 404.</summary>
    NotFound,
}
