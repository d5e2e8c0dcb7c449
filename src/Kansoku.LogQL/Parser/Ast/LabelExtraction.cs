namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// A <c>| json</c> / <c>| logfmt</c> parameter: extract <see cref="Expression"/> (a JSON path such as
/// <c>request.headers["User-Agent"]</c>, or a logfmt key) into label <see cref="Name"/>. A bare <c>name</c> means
/// <c>name="name"</c>.
/// </summary>
internal sealed record LabelExtraction(string Name, string Expression);
