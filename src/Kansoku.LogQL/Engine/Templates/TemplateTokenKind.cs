namespace Kansoku.LogQL.Engine.Templates;

/// <summary>The token kinds of Go's text/template lexer that LogQL templates use.</summary>
internal enum TemplateTokenKind
{
    Text,
    LeftDelimiter,
    RightDelimiter,
    Field,
    Variable,
    Identifier,
    String,
    Number,
    Char,
    Bool,
    Nil,
    Dot,
    LeftParen,
    RightParen,
    Pipe,
    Declare,
    Assign,
    Comma,
    Space,
    End,
}
