namespace Kansoku.Server.Ingest;

/// <summary>The outcome of one `_bulk` action, reported back in Elasticsearch's item shape.</summary>
/// <param name="Action">index or create (as the client sent it), or the unsupported action's name.</param>
/// <param name="Status">HTTP status of the item: 201 created, 400 refused.</param>
/// <param name="ErrorType">Elasticsearch error type for a refused item, e.g. <c>mapper_parsing_exception</c>.</param>
internal sealed record BulkItem(string Action, string Index, string Id, int Status, string? ErrorType = null, string? ErrorReason = null);
