using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.LogQL.Engine.Pipeline;

namespace Kansoku.LogQL.Tests.Engine;

public sealed class LabelKeysTests
{
    private static string FromBytes(byte[] key, bool isFirst)
    {
        var name = new List<char>();
        LabelKeys.AppendSanitized(name, key, isFirst);
        return new string([.. name]);
    }

    [Theory]
    [InlineData("level", "level")]
    [InlineData(" trace-id ", "trace_id")]
    [InlineData("9lives", "_9lives")]
    [InlineData("a.b/c", "a_b_c")]
    [InlineData("日本語", "___")]
    [InlineData("é😀x", "__x")]
    public void Keys_are_sanitized_as_Loki_does(string key, string expected) =>
        Assert.Equal(expected, FromBytes(Encoding.UTF8.GetBytes(key), isFirst: true));

    [Fact]
    public void Every_invalid_UTF8_sequence_becomes_one_underscore() =>
        Assert.Equal("a__b", FromBytes([(byte)'a', 0xC3, 0xFF, (byte)'b'], isFirst: false));

    [Property(MaxTest = 500)]
    public Property The_byte_path_agrees_with_the_string_path() =>
        Prop.ForAll(Gen.Elements('a', 'Z', '0', '9', '_', '-', '.', ' ', 'é', '日', '\t').ArrayOf().Select(c => new string(c)).ToArbitrary(),
            key => FromBytes(Encoding.UTF8.GetBytes(key), isFirst: true) == LabelKeys.Sanitize(key));
}
