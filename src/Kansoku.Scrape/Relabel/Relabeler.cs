using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kansoku.Core.Labels;

namespace Kansoku.Scrape.Relabel;

/// <summary>Applies relabel rules in order, as Prometheus' relabel.Process: the first rule that drops ends the walk.</summary>
internal static class Relabeler
{
    [ThreadStatic]
    private static LabelBuilder? t_builder;
    [ThreadStatic]
    private static Label[]? t_snapshot;

    /// <summary>The relabelled set, or null when a rule dropped it. Returns <paramref name="labels"/> itself when nothing changed.</summary>
    public static LabelSet? Process(LabelSet labels, IReadOnlyList<RelabelConfig> rules)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(rules);
        if (rules.Count == 0)
        {
            return labels;
        }
        var builder = (t_builder ??= new LabelBuilder()).Reset(labels);
        return Process(builder, rules) ? builder.Build() : null;
    }

    /// <summary>Applies <paramref name="rules"/> to <paramref name="builder"/>; false when one of them drops the set.</summary>
    public static bool Process(LabelBuilder builder, IReadOnlyList<RelabelConfig> rules)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(rules);
        for (var i = 0; i < rules.Count; i++)
        {
            if (!Apply(rules[i], builder))
            {
                return false;
            }
        }
        return true;
    }

    private static bool Apply(RelabelConfig rule, LabelBuilder builder)
    {
        var value = SourceValue(rule, builder);
        switch (rule.Action)
        {
            case RelabelAction.Drop:
                return !rule.Regex.IsMatch(value);
            case RelabelAction.Keep:
                return rule.Regex.IsMatch(value);
            case RelabelAction.DropEqual:
                return !string.Equals(builder.Get(rule.TargetLabel), value, StringComparison.Ordinal);
            case RelabelAction.KeepEqual:
                return string.Equals(builder.Get(rule.TargetLabel), value, StringComparison.Ordinal);
            case RelabelAction.Replace:
                Replace(rule, builder, value);
                return true;
            case RelabelAction.Lowercase:
                builder.Set(rule.TargetLabel, value.ToLowerInvariant());
                return true;
            case RelabelAction.Uppercase:
                builder.Set(rule.TargetLabel, value.ToUpperInvariant());
                return true;
            case RelabelAction.HashMod:
                builder.Set(rule.TargetLabel, HashMod(value, rule.Modulus).ToString(CultureInfo.InvariantCulture));
                return true;
            case RelabelAction.LabelMap:
            case RelabelAction.LabelDrop:
            case RelabelAction.LabelKeep:
                ApplyToNames(rule, builder);
                return true;
            default:
                throw new InvalidOperationException($"unknown relabel action {rule.Action}");
        }
    }

    /// <summary>Prometheus' hashmod: the last 8 bytes of the MD5 of the value, big-endian, modulo the modulus.</summary>
    public static ulong HashMod(string value, ulong modulus)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        var bytes = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(value, bytes);
        Span<byte> hash = stackalloc byte[MD5.HashSizeInBytes];
#pragma warning disable CA5351 // MD5 is what Prometheus hashes with; the value must match, it protects nothing.
        MD5.HashData(bytes[..length], hash);
#pragma warning restore CA5351
        return BinaryPrimitives.ReadUInt64BigEndian(hash[8..]) % modulus;
    }

    private static void Replace(RelabelConfig rule, LabelBuilder builder, string value)
    {
        // Prometheus sets the replacement as it is when there is nothing to match or expand.
        if (value.Length == 0 && rule.Regex.IsDefault && !rule.TargetLabel.Contains('$', StringComparison.Ordinal)
            && !rule.Replacement.Contains('$', StringComparison.Ordinal))
        {
            builder.Set(rule.TargetLabel, rule.Replacement);
            return;
        }
        if (rule.Regex.Match(value) is not { } match)
        {
            return;
        }
        var target = rule.Regex.Expand(rule.TargetLabel, match);
        if (!LabelNames.IsValid(target))
        {
            return;
        }
        builder.Set(target, rule.Regex.Expand(rule.Replacement, match));
    }

    private static void ApplyToNames(RelabelConfig rule, LabelBuilder builder)
    {
        var snapshot = t_snapshot ?? new Label[32];
        var labels = builder.Snapshot(ref snapshot);
        t_snapshot = snapshot;
        foreach (var label in labels)
        {
            switch (rule.Action)
            {
                case RelabelAction.LabelMap when rule.Regex.Match(label.Name) is { } match:
                    builder.Set(rule.Regex.Expand(rule.Replacement, match), label.Value);
                    break;
                case RelabelAction.LabelDrop when rule.Regex.IsMatch(label.Name):
                case RelabelAction.LabelKeep when !rule.Regex.IsMatch(label.Name):
                    builder.Delete(label.Name);
                    break;
            }
        }
    }

    private static string SourceValue(RelabelConfig rule, LabelBuilder builder)
    {
        var names = rule.SourceLabels;
        switch (names.Count)
        {
            case 0:
                return "";
            case 1:
                return builder.Get(names[0]);
            default:
                var text = new StringBuilder();
                for (var i = 0; i < names.Count; i++)
                {
                    if (i > 0)
                    {
                        text.Append(rule.Separator);
                    }
                    text.Append(builder.Get(names[i]));
                }
                return text.ToString();
        }
    }
}
