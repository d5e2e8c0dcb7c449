using Kansoku.Core.Labels;

namespace Kansoku.LogQL.Parser.Ast;

/// <summary>
/// An operand of <c>drop</c>/<c>keep</c>: a bare label name (<see cref="Matcher"/> null: the label whatever its value), or
/// a matcher such as <c>level="debug"</c> (the label only when its value matches).
/// </summary>
internal sealed record NamedLabelMatcher(string Name, LabelMatcher? Matcher);
