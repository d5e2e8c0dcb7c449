using System.Text;
using Kansoku.PromQL.Parser;

namespace Kansoku.PromQL.Tests.Parser;

public sealed class LexerTests
{
    public static TheoryData<string, string?> LexCases => ParserCaseData.LexCases();

    /// <summary><paramref name="expected"/> is "Kind@offset:text ..." (comments included), or null when lexing must fail.</summary>
    [Theory]
    [MemberData(nameof(LexCases))]
    public void Lexes_as_Prometheus(string input, string? expected)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        var lexer = new Lexer(bytes);
        var items = new List<string>();
        string? error = null;
        while (true)
        {
            var token = lexer.Next();
            if (token.Kind == TokenKind.Error)
            {
                error = lexer.ErrorMessage;
                break;
            }
            if (token.Kind == TokenKind.EndOfInput)
            {
                Assert.Equal(bytes.Length, token.Start);
                break;
            }
            items.Add(token.Kind + "@" + token.Start + ":" + Encoding.UTF8.GetString(bytes, token.Start, token.End - token.Start));
        }
        if (expected is null)
        {
            Assert.NotNull(error);
            return;
        }
        Assert.Null(error);
        Assert.Equal(expected, string.Join(" ", items));
    }
}
