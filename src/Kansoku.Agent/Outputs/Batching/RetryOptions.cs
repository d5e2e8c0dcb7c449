using System.Globalization;
using Kansoku.Agent.Config;

namespace Kansoku.Agent.Outputs.Batching;

/// <param name="RetryLimit">Retries after the first attempt before a batch is dropped; null retries forever.</param>
internal sealed record RetryOptions(int? RetryLimit, TimeSpan BackoffBase, TimeSpan BackoffCap)
{
    public static readonly TimeSpan DefaultBase = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan DefaultCap = TimeSpan.FromSeconds(60);

    /// <summary>Retry forever: with a disk buffer nothing is dropped silently; the quota decides.</summary>
    public static RetryOptions Default { get; } = new(null, DefaultBase, DefaultCap);

    /// <summary>
    /// Reads Fluent Bit's <c>Retry_Limit</c> (a number, <c>no_limits</c>/<c>False</c>/<c>off</c> for forever,
    /// <c>no_retries</c> for none) and <c>scheduler.base</c>/<c>scheduler.cap</c> (service keys in Fluent Bit,
    /// accepted per output here).
    /// </summary>
    public static RetryOptions FromSpec(ComponentSpec spec)
    {
        int? limit = null;
        if (spec.Find("retry_limit") is { } property)
        {
            var text = property.Value.Trim().ToLowerInvariant();
            limit = text switch
            {
                "no_limits" or "false" or "off" or "no_limit" => null,
                "no_retries" => 0,
                _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
                _ => throw new ConfigException(property.Location, property.Key,
                    $"expected a number, no_limits, False or no_retries, got '{property.Value}'"),
            };
        }
        var backoffBase = spec.GetDuration("scheduler.base", DefaultBase);
        var cap = spec.GetDuration("scheduler.cap", DefaultCap);
        return new RetryOptions(limit, backoffBase, cap < backoffBase ? backoffBase : cap);
    }
}
