namespace Kansoku.Core.Exposition;

/// <summary>What a <see cref="MetricRegistry"/> writes: one family, HELP and TYPE first.</summary>
internal interface IMetricFamily
{
    string Name { get; }

    void Write(ExpositionWriter writer);
}
