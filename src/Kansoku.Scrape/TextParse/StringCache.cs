using System.IO.Hashing;
using System.Text;

namespace Kansoku.Scrape.TextParse;

/// <summary>
/// Strings for short byte sequences seen before (label names, metric names, short label values such as <c>cpu="3"</c>),
/// so building the labels of series after series of one family decodes each repeated name once. Direct-mapped: a slot
/// holds the last sequence hashed to it, and a miss just decodes and takes the slot. With <c>canonicalFloats</c> the
/// string kept is the value's OpenMetrics float form (for <c>le</c> and <c>quantile</c>, which repeat in every group).
/// </summary>
internal sealed class StringCache(bool canonicalFloats)
{
    private const int Slots = 1024;

    /// <summary>Longer sequences are rarely repeated (paths, IDs) and would only churn the slots.</summary>
    public const int MaxLength = 32;

    private readonly byte[]?[] _bytes = new byte[Slots][];
    private readonly string?[] _strings = new string[Slots];

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Decode(utf8);
        }
        var slot = (int)(XxHash3.HashToUInt64(utf8) & (Slots - 1));
        if (_bytes[slot] is { } bytes && utf8.SequenceEqual(bytes))
        {
            return _strings[slot]!;
        }
        var text = Decode(utf8);
        _bytes[slot] = utf8.ToArray();
        _strings[slot] = text;
        return text;
    }

    private string Decode(ReadOnlySpan<byte> utf8) => canonicalFloats && ExpositionSyntax.TryParseNumber(utf8, out var value)
        ? OpenMetricsFloat.Format(value)
        : Encoding.UTF8.GetString(utf8);
}
