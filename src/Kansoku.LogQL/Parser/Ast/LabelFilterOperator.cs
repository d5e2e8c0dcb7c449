namespace Kansoku.LogQL.Parser.Ast;

/// <summary>How a <see cref="BinaryLabelFilter"/> combines its sides (<c>,</c> and juxtaposition mean <c>and</c>).</summary>
internal enum LabelFilterOperator
{
    And,
    Or,
}
