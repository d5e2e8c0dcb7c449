namespace Kansoku.Scrape.Operator;

/// <summary>A Kubernetes IntOrString port: a port name, or a number when <see cref="Name"/> is null.</summary>
internal sealed record PortReference(string? Name, int Number)
{
    public override string ToString() => Name ?? Number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
