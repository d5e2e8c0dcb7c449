using System.Collections;
using System.Globalization;
using System.Reflection;
using Kansoku.Core.Labels;
using Kansoku.LogQL.Parser.Ast;

namespace Kansoku.LogQL.Tests.Parser;

/// <summary>Structural equality of syntax trees: every public property but the source spans, recursively.</summary>
internal static class AstAssert
{
    public static void Equal(Node expected, Node actual)
    {
        if (Difference(expected, actual, "$") is { } difference)
        {
            Assert.Fail($"{difference}\nexpected: {expected}\nactual:   {actual}");
        }
    }

    public static string? Difference(object? expected, object? actual, string path)
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: {expected ?? "null"} != {actual ?? "null"}";
        }
        // Lists compare by items, whatever collection type holds them.
        if (expected.GetType() != actual.GetType() && !(expected is IEnumerable and not string && actual is IEnumerable and not string))
        {
            return $"{path}: {expected.GetType().Name} != {actual.GetType().Name}";
        }
        switch (expected)
        {
            case double value:
                return BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits((double)actual)
                    ? null
                    : string.Create(CultureInfo.InvariantCulture, $"{path}: {value:R} != {(double)actual:R}");
            case string or bool or int or long or ulong or TimeSpan or Enum:
                return expected.Equals(actual) ? null : $"{path}: {expected} != {actual}";
            case LabelMatcher matcher:
                var other = (LabelMatcher)actual;
                return matcher.Type == other.Type && matcher.Name == other.Name && matcher.Value == other.Value
                    ? null
                    : $"{path}: {matcher} != {other}";
            case IEnumerable sequence:
                var left = sequence.Cast<object?>().ToList();
                var right = ((IEnumerable)actual).Cast<object?>().ToList();
                if (left.Count != right.Count)
                {
                    return $"{path}: {left.Count} items != {right.Count} items";
                }
                for (var i = 0; i < left.Count; i++)
                {
                    if (Difference(left[i], right[i], $"{path}[{i}]") is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
            default:
                foreach (var property in expected.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (property.Name == nameof(Node.Span) || property.GetIndexParameters().Length > 0)
                    {
                        continue;
                    }
                    if (Difference(property.GetValue(expected), property.GetValue(actual), path + "." + property.Name) is { } difference)
                    {
                        return difference;
                    }
                }
                return null;
        }
    }
}
