using System.Text;
using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Relabel;

namespace Kansoku.Scrape.Discovery;

/// <summary>
/// Turns discovered targets into scrape targets as Prometheus' scrape/target.go (TargetsFromGroup, PopulateLabels):
/// job, interval, timeout, metrics path, scheme and params become <c>__</c> labels unless the target set them;
/// relabel_configs run; an address without a port gets the scheme's (80, 443), as Prometheus 2 does, so instance
/// labels match Debian's Prometheus 2.42; <c>__meta_*</c> labels go; instance defaults to the address.
/// </summary>
internal static class ScrapeTargetBuilder
{
    [ThreadStatic]
    private static LabelBuilder? t_builder;

    public static ScrapeTargetSet Build(ScrapeConfig config, TargetGroup group)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(group);
        var targets = new List<ScrapeTarget>(group.Targets.Count);
        var dropped = new List<DroppedTarget>();
        var errors = new List<string>();
        var builder = t_builder ??= new LabelBuilder();
        for (var i = 0; i < group.Targets.Count; i++)
        {
            var discovered = Merge(group.Targets[i], group.Labels);
            switch (Populate(builder, config, discovered))
            {
                case (null, null, var error):
                    errors.Add($"instance {i} in group {group.Source}: {error}");
                    break;
                case (null, var before, _):
                    dropped.Add(new DroppedTarget(before!));
                    break;
                case (var target, _, _):
                    targets.Add(target);
                    break;
            }
        }
        return new ScrapeTargetSet(targets, dropped, errors);
    }

    /// <summary>The target's labels with the group's added where the target has none of that name.</summary>
    private static LabelSet Merge(LabelSet target, LabelSet groupLabels)
    {
        if (groupLabels.Count == 0)
        {
            return target;
        }
        var labels = new List<Label>(target.Count + groupLabels.Count);
        foreach (var label in groupLabels.AsSpan())
        {
            if (!target.Has(label.Name))
            {
                labels.Add(label);
            }
        }
        labels.AddRange(target.AsSpan());
        return LabelSet.From(labels);
    }

    /// <returns>The target; or null and the pre-relabelling labels when dropped; or nulls and an error.</returns>
    private static (ScrapeTarget? Target, LabelSet? Dropped, string? Error) Populate(LabelBuilder builder, ScrapeConfig config, LabelSet discovered)
    {
        builder.Reset(discovered);
        SetIfAbsent(builder, TargetLabels.Job, config.JobName);
        SetIfAbsent(builder, TargetLabels.ScrapeInterval, PromDuration.Format(config.ScrapeInterval));
        SetIfAbsent(builder, TargetLabels.ScrapeTimeout, PromDuration.Format(config.ScrapeTimeout));
        SetIfAbsent(builder, TargetLabels.MetricsPath, config.MetricsPath);
        SetIfAbsent(builder, TargetLabels.Scheme, config.Scheme);
        foreach (var (name, values) in config.Params)
        {
            if (values.Count > 0)
            {
                builder.Set(TargetLabels.ParamPrefix + name, values[0]);
            }
        }
        var beforeRelabelling = builder.Build();
        if (!Relabeler.Process(builder, config.RelabelConfigs))
        {
            return (null, beforeRelabelling, null);
        }
        var address = builder.Get(TargetLabels.Address);
        if (address.Length == 0)
        {
            return (null, null, "no address");
        }
        if (NeedsPort(address))
        {
            var port = builder.Get(TargetLabels.Scheme) switch
            {
                "http" or "" => ":80",
                "https" => ":443",
                _ => null,
            };
            if (port is null)
            {
                return (null, null, $"invalid scheme: \"{config.Scheme}\"");
            }
            address += port;
            builder.Set(TargetLabels.Address, address);
        }
        if (address.Contains('/', StringComparison.Ordinal))
        {
            return (null, null, $"\"{address}\" is not a valid hostname");
        }
        if (ReadDuration(builder, TargetLabels.ScrapeInterval, "interval", out var interval) is { } intervalError)
        {
            return (null, null, intervalError);
        }
        if (ReadDuration(builder, TargetLabels.ScrapeTimeout, "timeout", out var timeout) is { } timeoutError)
        {
            return (null, null, timeoutError);
        }
        if (timeout > interval)
        {
            return (null, null, $"scrape timeout cannot be greater than scrape interval (\"{builder.Get(TargetLabels.ScrapeTimeout)}\" > \"{builder.Get(TargetLabels.ScrapeInterval)}\")");
        }
        var snapshot = new Label[builder.Count];
        foreach (var label in builder.Snapshot(ref snapshot))
        {
            if (label.Name.StartsWith(TargetLabels.MetaPrefix, StringComparison.Ordinal))
            {
                builder.Delete(label.Name);
            }
        }
        SetIfAbsent(builder, TargetLabels.Instance, address);
        var relabeled = builder.Build();
        return (new ScrapeTarget(PublicLabels(relabeled), relabeled, beforeRelabelling, Url(relabeled, config.Params), interval, timeout), null, null);
    }

    private static void SetIfAbsent(LabelBuilder builder, string name, string value)
    {
        if (builder.Get(name).Length == 0)
        {
            builder.Set(name, value);
        }
    }

    private static string? ReadDuration(LabelBuilder builder, string label, string what, out TimeSpan duration)
    {
        if (!PromDuration.TryParse(builder.Get(label), out duration, out var error))
        {
            return $"error parsing scrape {what}: {error}";
        }
        return duration == TimeSpan.Zero ? $"scrape {what} cannot be 0" : null;
    }

    private static LabelSet PublicLabels(LabelSet labels)
    {
        var kept = new List<Label>(labels.Count);
        foreach (var label in labels.AsSpan())
        {
            if (!label.Name.StartsWith(TargetLabels.ReservedPrefix, StringComparison.Ordinal))
            {
                kept.Add(label);
            }
        }
        return kept.Count == labels.Count ? labels : LabelSet.From(kept);
    }

    /// <summary>
    /// scheme://address/path?query, the query being the job's params with each <c>__param_X</c> label replacing the
    /// first value of X, keys sorted and escaped as Go's url.Values.Encode.
    /// </summary>
    public static Uri Url(LabelSet labels, IReadOnlyDictionary<string, IReadOnlyList<string>> configParams)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(configParams);
        var query = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, values) in configParams)
        {
            query[name] = [.. values];
        }
        foreach (var label in labels.AsSpan())
        {
            if (!label.Name.StartsWith(TargetLabels.ParamPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            var name = label.Name[TargetLabels.ParamPrefix.Length..];
            if (query.TryGetValue(name, out var values) && values.Count > 0)
            {
                values[0] = label.Value;
            }
            else
            {
                query[name] = [label.Value];
            }
        }
        var path = labels.Get(TargetLabels.MetricsPath);
        var url = new StringBuilder().Append(labels.Get(TargetLabels.Scheme)).Append("://").Append(labels.Get(TargetLabels.Address));
        if (!path.StartsWith('/'))
        {
            url.Append('/');
        }
        url.Append(path);
        var separator = '?';
        foreach (var (name, values) in query)
        {
            foreach (var value in values)
            {
                url.Append(separator);
                AppendQueryEscaped(url, name);
                url.Append('=');
                AppendQueryEscaped(url, value);
                separator = '&';
            }
        }
        return new Uri(url.ToString());
    }

    /// <summary>Whether Go's net.SplitHostPort fails on the address, but would not with a port added.</summary>
    private static bool NeedsPort(string address)
    {
        if (address.StartsWith('['))
        {
            var close = address.IndexOf(']', StringComparison.Ordinal);
            return close == address.Length - 1;
        }
        var colons = address.AsSpan().Count(':');
        return colons == 0;
    }

    /// <summary>Go's url.QueryEscape: unreserved characters kept, space as '+', every other UTF-8 byte as %XX.</summary>
    private static void AppendQueryEscaped(StringBuilder output, string text)
    {
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '-' or '_' or '.' or '~'))
            {
                output.Append((char)rune.Value);
                continue;
            }
            if (rune.Value == ' ')
            {
                output.Append('+');
                continue;
            }
            var length = rune.EncodeToUtf8(bytes);
            foreach (var b in bytes[..length])
            {
                output.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
    }
}
