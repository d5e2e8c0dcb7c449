using System.Text.Json;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Discovery.Kubernetes;
using Kansoku.Scrape.Relabel;

namespace Kansoku.Scrape.Operator;

/// <summary>
/// The scrape jobs the Prometheus Operator generates for a monitor (pkg/prometheus/promcfg.go,
/// generateServiceMonitorConfig and generatePodMonitorConfig): one job per endpoint, named
/// <c>serviceMonitor/NS/NAME/I</c> or <c>podMonitor/NS/NAME/I</c>, discovering endpoints (ServiceMonitor) or pods
/// (PodMonitor) in the selected namespaces, with the operator's relabelling in the operator's order, then the user's.
/// Left out, as a single unsharded Prometheus without scrape classes would generate them: sharding rules, scrape
/// classes, the enforced namespace label. Label selectors are always applied by relabelling (the operator's default
/// selectorMechanism), which selects the same targets as role selectors.
/// </summary>
internal static class MonitorScrapeConfigs
{
    private const string Meta = "__meta_kubernetes_";

    private static readonly RelabelRegex s_true = RelabelRegex.Create("true");
    private static readonly RelabelRegex s_notRunning = RelabelRegex.Create("(Failed|Succeeded)");
    private static readonly RelabelRegex s_nonEmpty = RelabelRegex.Create("(.+)");
    private static readonly RelabelRegex s_nodeTarget = RelabelRegex.Create("Node;(.*)");
    private static readonly RelabelRegex s_podTarget = RelabelRegex.Create("Pod;(.*)");

    /// <summary>
    /// The monitor's jobs. An endpoint whose credentials live in a Secret (basicAuth, authorization, oauth2,
    /// bearerTokenSecret, tlsConfig ca/cert/keySecret) is not scraped, and <paramref name="log"/> says so: Kansoku
    /// does not read Secrets, and scraping without the credentials would only fill the targets page with 401s.
    /// </summary>
    /// <exception cref="MonitorException">The monitor is one the operator would reject; the message names the field.</exception>
    public static IReadOnlyList<ScrapeConfig> Generate(MonitorResource monitor, GlobalConfig global, MonitorWatchConfig access, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(log);
        if (monitor.Spec is not { } spec)
        {
            throw new MonitorException(monitor.Error ?? "spec: missing");
        }
        var isService = monitor.MonitorKind == MonitorKind.ServiceMonitor;
        var endpoints = isService ? spec.Endpoints : spec.PodMetricsEndpoints;
        var listField = isService ? "spec.endpoints" : "spec.podMetricsEndpoints";
        var selectorRules = SelectorRules(spec.Selector, isService ? Meta + "service_" : Meta + "pod_");
        IReadOnlyList<string> namespaces = spec.NamespaceSelector.Any ? []
            : spec.NamespaceSelector.MatchNames.Count > 0 ? spec.NamespaceSelector.MatchNames : [monitor.Namespace];
        var discovery = access.Discovery(isService ? KubernetesRole.Endpoints : KubernetesRole.Pod, namespaces, spec.AttachMetadata?.Node ?? false);
        var limits = new ScrapeLimits
        {
            SampleLimit = spec.SampleLimit ?? 0,
            TargetLimit = spec.TargetLimit ?? 0,
            LabelLimit = spec.LabelLimit ?? 0,
            LabelNameLengthLimit = spec.LabelNameLengthLimit ?? 0,
            LabelValueLengthLimit = spec.LabelValueLengthLimit ?? 0,
        }.Or(global.Limits);
        var configs = new List<ScrapeConfig>(endpoints.Count);
        for (var i = 0; i < endpoints.Count; i++)
        {
            var endpoint = endpoints[i];
            var field = $"{listField}[{i}]";
            if (SecretReference(endpoint) is { } secretField)
            {
                log($"operator: {monitor}: {field}.{secretField} refers to a Secret, which Kansoku does not read; this endpoint is not scraped");
                continue;
            }
            var relabel = new List<RelabelConfig> { Copy("job", "__tmp_prometheus_job_name") };
            if (isService)
            {
                relabel.AddRange(selectorRules);
                AddServiceRules(relabel, spec, endpoint);
            }
            else
            {
                AddPodRules(relabel, monitor, spec, endpoint, selectorRules);
            }
            relabel.AddRange(UserRules(endpoint.Relabelings, $"{field}.relabelings"));
            var (interval, timeout) = Timing(endpoint, global, field);
            configs.Add(new ScrapeConfig
            {
                JobName = $"{(isService ? "serviceMonitor" : "podMonitor")}/{monitor.Namespace}/{monitor.Name}/{i}",
                ScrapeInterval = interval,
                ScrapeTimeout = timeout,
                MetricsPath = string.IsNullOrEmpty(endpoint.Path) ? ScrapeConfig.DefaultMetricsPath : endpoint.Path,
                Scheme = Scheme(endpoint, field),
                Params = endpoint.Params?.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal)
                    ?? new Dictionary<string, IReadOnlyList<string>>(),
                HonorLabels = endpoint.HonorLabels,
                HonorTimestamps = endpoint.HonorTimestamps ?? true,
                Http = Http(endpoint),
                KubernetesSdConfigs = [discovery],
                RelabelConfigs = relabel,
                MetricRelabelConfigs = UserRules(endpoint.MetricRelabelings, $"{field}.metricRelabelings"),
                Limits = limits,
            });
        }
        return configs;
    }

    private static void AddServiceRules(List<RelabelConfig> relabel, MonitorSpec spec, MonitorEndpoint endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint.Port))
        {
            relabel.Add(Keep(Regex(endpoint.Port, "port"), Meta + "endpoint_port_name"));
        }
        else if (TargetPortRule(endpoint.TargetPort) is { } targetPort)
        {
            relabel.Add(targetPort);
        }
        string[] target = [Meta + "endpoint_address_target_kind", Meta + "endpoint_address_target_name"];
        relabel.Add(new RelabelConfig { SourceLabels = target, SourceLabelsGiven = true, Regex = s_nodeTarget, Replacement = "${1}", TargetLabel = "node" });
        relabel.Add(new RelabelConfig { SourceLabels = target, SourceLabelsGiven = true, Regex = s_podTarget, Replacement = "${1}", TargetLabel = "pod" });
        relabel.Add(Copy(Meta + "namespace", "namespace"));
        relabel.Add(Copy(Meta + "service_name", "service"));
        relabel.Add(Copy(Meta + "pod_name", "pod"));
        relabel.Add(Copy(Meta + "pod_container_name", "container"));
        if (endpoint.FilterRunning ?? true)
        {
            relabel.Add(RunningFilter());
        }
        foreach (var label in spec.TargetLabels)
        {
            relabel.Add(CopyIfSet(Meta + "service_label_" + MetaLabels.Sanitize(label), MetaLabels.Sanitize(label)));
        }
        AddPodTargetLabels(relabel, spec);
        relabel.Add(Copy(Meta + "service_name", "job"));
        if (!string.IsNullOrEmpty(spec.JobLabel))
        {
            relabel.Add(CopyIfSet(Meta + "service_label_" + MetaLabels.Sanitize(spec.JobLabel), "job"));
        }
        AddEndpointLabel(relabel, endpoint);
    }

    private static void AddPodRules(List<RelabelConfig> relabel, MonitorResource monitor, MonitorSpec spec, MonitorEndpoint endpoint,
        List<RelabelConfig> selectorRules)
    {
        if (endpoint.FilterRunning ?? true)
        {
            relabel.Add(RunningFilter());
        }
        relabel.AddRange(selectorRules);
        if (!string.IsNullOrEmpty(endpoint.Port))
        {
            relabel.Add(Keep(Regex(endpoint.Port, "port"), Meta + "pod_container_port_name"));
        }
        else if (endpoint.PortNumber is { } number and not 0)
        {
            relabel.Add(Keep(Regex(number.ToString(System.Globalization.CultureInfo.InvariantCulture), "portNumber"), Meta + "pod_container_port_number"));
        }
        else if (TargetPortRule(endpoint.TargetPort) is { } targetPort)
        {
            relabel.Add(targetPort);
        }
        relabel.Add(Copy(Meta + "namespace", "namespace"));
        relabel.Add(Copy(Meta + "pod_container_name", "container"));
        relabel.Add(Copy(Meta + "pod_name", "pod"));
        AddPodTargetLabels(relabel, spec);
        relabel.Add(Set("job", $"{monitor.Namespace}/{monitor.Name}"));
        if (!string.IsNullOrEmpty(spec.JobLabel))
        {
            relabel.Add(CopyIfSet(Meta + "pod_label_" + MetaLabels.Sanitize(spec.JobLabel), "job"));
        }
        AddEndpointLabel(relabel, endpoint);
    }

    private static void AddPodTargetLabels(List<RelabelConfig> relabel, MonitorSpec spec)
    {
        foreach (var label in spec.PodTargetLabels)
        {
            relabel.Add(CopyIfSet(Meta + "pod_label_" + MetaLabels.Sanitize(label), MetaLabels.Sanitize(label)));
        }
    }

    /// <summary>One target per port of a pod: the endpoint label tells them apart, by the port's name or, failing that, the target port.</summary>
    private static void AddEndpointLabel(List<RelabelConfig> relabel, MonitorEndpoint endpoint)
    {
        if (!string.IsNullOrEmpty(endpoint.Port))
        {
            relabel.Add(Set("endpoint", endpoint.Port));
        }
        else if (endpoint.TargetPort?.ToString() is { Length: > 0 } targetPort)
        {
            relabel.Add(Set("endpoint", targetPort));
        }
    }

    private static RelabelConfig? TargetPortRule(PortReference? targetPort) => targetPort switch
    {
        { Name: { Length: > 0 } name } => Keep(Regex(name, "targetPort"), Meta + "pod_container_port_name"),
        { Name: null, Number: not 0 } => Keep(Regex(targetPort.ToString(), "targetPort"), Meta + "pod_container_port_number"),
        _ => null,
    };

    /// <summary>
    /// matchLabels (in key order, as the operator sorts them) and matchExpressions as keep and drop rules. A label
    /// value is matched together with the label's presence, so <c>In ("")</c> does not select objects lacking the label.
    /// </summary>
    private static List<RelabelConfig> SelectorRules(MonitorLabelSelector selector, string prefix)
    {
        var rules = new List<RelabelConfig>();
        foreach (var key in selector.MatchLabels.Keys.Order(StringComparer.Ordinal))
        {
            rules.Add(Keep(Regex($"({selector.MatchLabels[key]});true", "spec.selector.matchLabels"), LabelSources(prefix, key)));
        }
        for (var i = 0; i < selector.MatchExpressions.Count; i++)
        {
            var expression = selector.MatchExpressions[i];
            var field = $"spec.selector.matchExpressions[{i}]";
            var present = prefix + "labelpresent_" + MetaLabels.Sanitize(expression.Key);
            rules.Add(expression.Operator switch
            {
                "In" => Keep(Regex($"({string.Join('|', expression.Values)});true", field), LabelSources(prefix, expression.Key)),
                "NotIn" => Drop(Regex($"({string.Join('|', expression.Values)});true", field), LabelSources(prefix, expression.Key)),
                "Exists" => Keep(s_true, present),
                "DoesNotExist" => Drop(s_true, present),
                _ => throw new MonitorException($"{field}.operator: \"{expression.Operator}\" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)"),
            });
        }
        return rules;
    }

    private static string[] LabelSources(string prefix, string key) =>
        [prefix + "label_" + MetaLabels.Sanitize(key), prefix + "labelpresent_" + MetaLabels.Sanitize(key)];

    private static List<RelabelConfig> UserRules(List<MonitorRelabelConfig> rules, string field)
    {
        var converted = new List<RelabelConfig>(rules.Count);
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var ruleField = $"{field}[{i}]";
            var action = RelabelAction.Replace;
            if (!string.IsNullOrEmpty(rule.Action) && !RelabelConfig.TryParseAction(rule.Action, out action))
            {
                throw new MonitorException($"{ruleField}.action: unknown relabel action \"{rule.Action}\"");
            }
            try
            {
                converted.Add(RelabelConfig.Create(new RelabelConfig
                {
                    SourceLabels = rule.SourceLabels,
                    SourceLabelsGiven = rule.SourceLabels.Count > 0,
                    Separator = rule.Separator ?? RelabelConfig.DefaultSeparator,
                    TargetLabel = rule.TargetLabel ?? "",
                    Regex = string.IsNullOrEmpty(rule.Regex) ? RelabelRegex.Default : Regex(rule.Regex, ruleField + ".regex"),
                    Modulus = rule.Modulus ?? 0,
                    Replacement = rule.Replacement ?? RelabelConfig.DefaultReplacement,
                    Action = action,
                }));
            }
            catch (ArgumentException e)
            {
                throw new MonitorException($"{ruleField}: {e.Message}", e);
            }
        }
        return converted;
    }

    /// <summary>The interval and timeout, defaulted as Prometheus defaults a job's; a timeout past the interval is rejected, as the operator does.</summary>
    private static (TimeSpan Interval, TimeSpan Timeout) Timing(MonitorEndpoint endpoint, GlobalConfig global, string field)
    {
        var interval = Duration(endpoint.Interval, field + ".interval") ?? global.ScrapeInterval;
        var timeout = Duration(endpoint.ScrapeTimeout, field + ".scrapeTimeout");
        if (timeout > interval)
        {
            throw new MonitorException($"{field}.scrapeTimeout: {endpoint.ScrapeTimeout} is greater than the scrape interval {PromDuration.Format(interval)}");
        }
        return (interval, timeout ?? (global.ScrapeTimeout < interval ? global.ScrapeTimeout : interval));
    }

    private static TimeSpan? Duration(string? text, string field)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (!PromDuration.TryParse(text, out var duration, out var error))
        {
            throw new MonitorException($"{field}: {error}");
        }
        return duration == TimeSpan.Zero ? null : duration;
    }

    private static string Scheme(MonitorEndpoint endpoint, string field)
    {
        var scheme = string.IsNullOrEmpty(endpoint.Scheme) ? ScrapeConfig.DefaultScheme : endpoint.Scheme.ToLowerInvariant();
        return scheme is "http" or "https" ? scheme : throw new MonitorException($"{field}.scheme: \"{endpoint.Scheme}\" is neither http nor https");
    }

    private static HttpClientConfig Http(MonitorEndpoint endpoint)
    {
        var tls = endpoint.TlsConfig;
        return new HttpClientConfig
        {
            Tls = tls is null ? new TlsConfig() : new TlsConfig
            {
                CaFile = NullIfEmpty(tls.CaFile),
                CertFile = NullIfEmpty(tls.CertFile),
                KeyFile = NullIfEmpty(tls.KeyFile),
                ServerName = NullIfEmpty(tls.ServerName),
                InsecureSkipVerify = tls.InsecureSkipVerify,
            },
            Authorization = string.IsNullOrEmpty(endpoint.BearerTokenFile) ? null : new AuthorizationConfig("Bearer", null, endpoint.BearerTokenFile),
            FollowRedirects = endpoint.FollowRedirects ?? true,
            EnableHttp2 = endpoint.EnableHttp2 ?? true,
        };
    }

    /// <summary>The first field of the endpoint that takes its value from a Secret or ConfigMap, or null.</summary>
    private static string? SecretReference(MonitorEndpoint endpoint)
    {
        if (IsObject(endpoint.BasicAuth))
        {
            return "basicAuth";
        }
        if (endpoint.Authorization is { ValueKind: JsonValueKind.Object } authorization && authorization.TryGetProperty("credentials", out _))
        {
            return "authorization.credentials";
        }
        if (IsObject(endpoint.OAuth2))
        {
            return "oauth2";
        }
        if (endpoint.BearerTokenSecret is { ValueKind: JsonValueKind.Object } bearer && bearer.TryGetProperty("name", out var name)
            && name.ValueKind == JsonValueKind.String && name.GetString() is { Length: > 0 })
        {
            return "bearerTokenSecret";
        }
        return endpoint.TlsConfig switch
        {
            { Ca: var ca } when IsObject(ca) => "tlsConfig.ca",
            { Cert: var cert } when IsObject(cert) => "tlsConfig.cert",
            { KeySecret: var key } when IsObject(key) => "tlsConfig.keySecret",
            _ => null,
        };
    }

    private static bool IsObject(JsonElement? element) => element is { ValueKind: JsonValueKind.Object };

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static RelabelRegex Regex(string pattern, string field)
    {
        try
        {
            return RelabelRegex.Create(pattern);
        }
        catch (ArgumentException e)
        {
            throw new MonitorException($"{field}: invalid regular expression \"{pattern}\": {e.Message}", e);
        }
    }

    private static RelabelConfig RunningFilter() => Drop(s_notRunning, Meta + "pod_phase");

    private static RelabelConfig Keep(RelabelRegex regex, params string[] sources) =>
        new() { Action = RelabelAction.Keep, SourceLabels = sources, SourceLabelsGiven = true, Regex = regex };

    private static RelabelConfig Drop(RelabelRegex regex, params string[] sources) =>
        new() { Action = RelabelAction.Drop, SourceLabels = sources, SourceLabelsGiven = true, Regex = regex };

    private static RelabelConfig Copy(string source, string target) =>
        new() { SourceLabels = [source], SourceLabelsGiven = true, TargetLabel = target };

    /// <summary>Copies only a non-empty value, so a missing label leaves the target's as it was.</summary>
    private static RelabelConfig CopyIfSet(string source, string target) =>
        new() { SourceLabels = [source], SourceLabelsGiven = true, TargetLabel = target, Regex = s_nonEmpty, Replacement = "${1}" };

    private static RelabelConfig Set(string target, string value) => new() { TargetLabel = target, Replacement = value };
}
