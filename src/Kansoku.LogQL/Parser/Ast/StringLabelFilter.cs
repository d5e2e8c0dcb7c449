using Kansoku.Core.Labels;

namespace Kansoku.LogQL.Parser.Ast;

/// <summary><c>name="v"</c>, <c>name!="v"</c>, <c>name=~"re"</c>, <c>name!~"re"</c> (an absent label reads as "").</summary>
internal sealed class StringLabelFilter(SourceSpan span, LabelMatcher matcher) : LabelFilter(span)
{
    public LabelMatcher Matcher { get; } = matcher;
}
