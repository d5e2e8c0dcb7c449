using Kansoku.Core.Labels;
using Kansoku.Scrape.Discovery;
using Kansoku.Scrape.Discovery.File;
using Kansoku.Scrape.Relabel;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kansoku.Scrape.Config;

/// <summary>
/// Reads a Prometheus configuration file with Prometheus' defaults and checks (config/config.go): strict keys, the
/// global section's defaults flowing into each job, timeouts no longer than intervals, unique job names, relabel rules
/// checked per action, relative file paths resolved against the file's folder. YAML is read through YamlDotNet's
/// representation model, no reflection. Errors are <see cref="ConfigException"/>s naming file, line, column and key.
/// Sections Prometheus has but Kansoku does not implement are refused by name rather than ignored.
/// </summary>
internal sealed class PrometheusConfigLoader
{
    private static readonly string[] s_unsupportedTopLevel = ["remote_read", "scrape_config_files", "storage", "tracing", "otlp"];
    private static readonly string[] s_unsupportedDiscovery =
    [
        "azure_sd_configs", "consul_sd_configs", "digitalocean_sd_configs", "docker_sd_configs", "dockerswarm_sd_configs",
        "dns_sd_configs", "ec2_sd_configs", "eureka_sd_configs", "gce_sd_configs", "hetzner_sd_configs", "http_sd_configs",
        "ionos_sd_configs", "kuma_sd_configs", "lightsail_sd_configs", "linode_sd_configs", "marathon_sd_configs",
        "nerve_sd_configs", "nomad_sd_configs", "openstack_sd_configs", "ovhcloud_sd_configs", "puppetdb_sd_configs",
        "scaleway_sd_configs", "serverset_sd_configs", "triton_sd_configs", "uyuni_sd_configs", "vultr_sd_configs",
    ];
    private static readonly string[] s_reservedHeaders =
    [
        "Host", "Authorization", "Content-Encoding", "Content-Type", "X-Prometheus-Remote-Write-Version", "User-Agent",
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Www-Authenticate",
    ];

    private readonly string _directory;

    private PrometheusConfigLoader(string directory)
    {
        _directory = directory;
    }

    public static PrometheusConfig LoadFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        return Load(File.ReadAllText(fullPath), fullPath, Path.GetDirectoryName(fullPath)!);
    }

    /// <param name="file">The name errors give.</param>
    /// <param name="directory">The folder relative paths in the configuration are resolved against.</param>
    public static PrometheusConfig Load(string yaml, string file, string directory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, (int)e.Start.Line, (int)e.Start.Column, null, e.InnerException?.Message ?? e.Message);
        }
        var loader = new PrometheusConfigLoader(directory);
        if (stream.Documents.Count == 0 || YamlSection.IsNull(stream.Documents[0].RootNode))
        {
            return loader.Read(new YamlSection(file, "", new YamlMappingNode()));
        }
        var root = stream.Documents[0].RootNode;
        return root is YamlMappingNode mapping
            ? loader.Read(new YamlSection(file, "", mapping))
            : throw new ConfigException(file, (int)root.Start.Line, (int)root.Start.Column, null, "the configuration must be a map");
    }

    private PrometheusConfig Read(YamlSection root)
    {
        foreach (var key in s_unsupportedTopLevel)
        {
            if (root.Has(key))
            {
                throw root.ErrorAt(key, $"{key} is not supported by Kansoku");
            }
        }
        // Go runtime tuning (GOGC) has no meaning here.
        root.Take("runtime");
        var global = root.Section("global") is { } globalSection ? ReadGlobal(globalSection) : new GlobalConfig();
        var jobs = new List<ScrapeConfig>();
        var jobNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in root.Sections("scrape_configs", "empty or null scrape config section"))
        {
            var job = ReadScrapeConfig(section, global);
            if (!jobNames.Add(job.JobName))
            {
                throw section.ErrorAt("job_name", $"found multiple scrape configs with job name \"{job.JobName}\"");
            }
            jobs.Add(job);
        }
        var remoteWrites = new List<RemoteWriteConfig>();
        var remoteNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in root.Sections("remote_write", "empty or null remote write config section"))
        {
            var remote = ReadRemoteWrite(section);
            if (remote.Name.Length > 0 && !remoteNames.Add(remote.Name))
            {
                throw section.ErrorAt("name", $"found multiple remote write configs with job name \"{remote.Name}\"");
            }
            remoteWrites.Add(remote);
        }
        var ruleFiles = new List<string>();
        foreach (var ruleFile in root.Strings("rule_files") ?? [])
        {
            ruleFiles.Add(Resolve(ruleFile)!);
        }
        var alerting = root.Section("alerting")?.Node;
        root.Finish("config");
        return new PrometheusConfig
        {
            Global = global,
            ScrapeConfigs = jobs,
            RemoteWrite = remoteWrites,
            RuleFiles = ruleFiles,
            Alerting = alerting,
        };
    }

    private static GlobalConfig ReadGlobal(YamlSection section)
    {
        var labels = new List<Label>();
        foreach (var (name, value, keyNode) in section.StringMap("external_labels") ?? [])
        {
            if (!LabelNames.IsValid(name))
            {
                throw section.Error(keyNode, section.KeyPath("external_labels"), $"\"{name}\" is not a valid label name");
            }
            labels.Add(new Label(name, value));
        }
        var interval = section.Duration("scrape_interval") ?? TimeSpan.Zero;
        if (interval == TimeSpan.Zero)
        {
            interval = GlobalConfig.DefaultScrapeInterval;
        }
        var timeout = section.Duration("scrape_timeout") ?? TimeSpan.Zero;
        if (timeout > interval)
        {
            throw section.ErrorAt("scrape_timeout", "global scrape timeout greater than scrape interval");
        }
        if (timeout == TimeSpan.Zero)
        {
            timeout = GlobalConfig.DefaultScrapeTimeout < interval ? GlobalConfig.DefaultScrapeTimeout : interval;
        }
        var evaluation = section.Duration("evaluation_interval") ?? TimeSpan.Zero;
        var limits = ReadLimits(section);
        // Kept by the rules engine's own loader; accepted so a Prometheus file loads unchanged.
        section.Take("rule_query_offset");
        section.Take("query_log_file");
        section.Finish("global config");
        return new GlobalConfig
        {
            ScrapeInterval = interval,
            ScrapeTimeout = timeout,
            EvaluationInterval = evaluation == TimeSpan.Zero ? GlobalConfig.DefaultEvaluationInterval : evaluation,
            ExternalLabels = LabelSet.From(labels),
            Limits = limits,
        };
    }

    private static ScrapeLimits ReadLimits(YamlSection section) => new()
    {
        SampleLimit = section.NonNegative("sample_limit") ?? 0,
        TargetLimit = section.NonNegative("target_limit") ?? 0,
        LabelLimit = section.NonNegative("label_limit") ?? 0,
        LabelNameLengthLimit = section.NonNegative("label_name_length_limit") ?? 0,
        LabelValueLengthLimit = section.NonNegative("label_value_length_limit") ?? 0,
        BodySizeLimit = section.Bytes("body_size_limit") ?? 0,
    };

    private ScrapeConfig ReadScrapeConfig(YamlSection section, GlobalConfig global)
    {
        var jobName = section.String("job_name") ?? "";
        if (jobName.Length == 0)
        {
            throw section.Error("job_name is empty");
        }
        foreach (var key in s_unsupportedDiscovery)
        {
            if (section.Has(key))
            {
                throw section.ErrorAt(key, $"{key} is not supported by Kansoku (static_configs, file_sd_configs and kubernetes_sd_configs are)");
            }
        }
        var http = ReadHttpClient(section, HttpClientConfig.Default);
        var relabel = ReadRelabelConfigs(section, "relabel_configs", "empty or null target relabeling rule in scrape config");
        var metricRelabel = ReadRelabelConfigs(section, "metric_relabel_configs", "empty or null metric relabeling rule in scrape config");
        var staticConfigs = ReadStaticConfigs(section, checkAddresses: relabel.Count == 0);
        var fileSd = new List<FileSdConfig>();
        foreach (var item in section.Sections("file_sd_configs", "empty or null section in file_sd_configs"))
        {
            fileSd.Add(ReadFileSd(item));
        }
        var kubernetesSd = new List<KubernetesSdConfig>();
        foreach (var item in section.Sections("kubernetes_sd_configs", "empty or null section in kubernetes_sd_configs"))
        {
            kubernetesSd.Add(ReadKubernetesSd(item));
        }
        var paramsMap = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (section.Section("params") is { } paramsSection)
        {
            foreach (var (key, _) in paramsSection.Node.Children)
            {
                var name = ((YamlScalarNode)key).Value ?? "";
                paramsMap[name] = paramsSection.Strings(name) ?? [];
            }
            paramsSection.Finish("params");
        }
        var interval = section.Duration("scrape_interval") ?? TimeSpan.Zero;
        if (interval == TimeSpan.Zero)
        {
            interval = global.ScrapeInterval;
        }
        var timeout = section.Duration("scrape_timeout") ?? TimeSpan.Zero;
        if (timeout > interval)
        {
            throw section.ErrorAt("scrape_timeout", $"scrape timeout greater than scrape interval for scrape config with job name \"{jobName}\"");
        }
        if (timeout == TimeSpan.Zero)
        {
            timeout = global.ScrapeTimeout < interval ? global.ScrapeTimeout : interval;
        }
        var scheme = section.String("scheme") ?? ScrapeConfig.DefaultScheme;
        if (scheme is not ("http" or "https"))
        {
            throw section.ErrorAt("scheme", $"invalid scheme \"{scheme}\" for scrape config with job name \"{jobName}\" (http or https)");
        }
        var config = new ScrapeConfig
        {
            JobName = jobName,
            ScrapeInterval = interval,
            ScrapeTimeout = timeout,
            MetricsPath = section.String("metrics_path") ?? ScrapeConfig.DefaultMetricsPath,
            Scheme = scheme,
            Params = paramsMap,
            HonorLabels = section.Bool("honor_labels") ?? false,
            HonorTimestamps = section.Bool("honor_timestamps") ?? true,
            Http = http,
            StaticConfigs = staticConfigs,
            FileSdConfigs = fileSd,
            KubernetesSdConfigs = kubernetesSd,
            RelabelConfigs = relabel,
            MetricRelabelConfigs = metricRelabel,
            Limits = ReadLimits(section).Or(global.Limits),
        };
        section.Finish("scrape config");
        return config;
    }

    private static List<TargetGroup> ReadStaticConfigs(YamlSection section, bool checkAddresses)
    {
        var groups = new List<TargetGroup>();
        var items = section.Sections("static_configs", "empty or null section in static_configs");
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var targets = new List<LabelSet>();
            if (item.Take("targets") is YamlSequenceNode targetNodes)
            {
                foreach (var node in targetNodes.Children)
                {
                    var address = node is YamlScalarNode scalar ? scalar.Value ?? "" : throw item.ErrorAt(node, "targets", "expected a string");
                    if (checkAddresses && address.Contains('/', StringComparison.Ordinal))
                    {
                        throw item.ErrorAt(node, "targets", $"\"{address}\" is not a valid hostname");
                    }
                    targets.Add(LabelSet.From((TargetLabels.Address, address)));
                }
            }
            else if (item.Has("targets"))
            {
                throw item.ErrorAt("targets", "expected a list of strings");
            }
            var labels = new List<Label>();
            foreach (var (name, value, keyNode) in item.StringMap("labels") ?? [])
            {
                if (!LabelNames.IsValid(name))
                {
                    throw item.Error(keyNode, item.KeyPath("labels"), $"\"{name}\" is not a valid label name");
                }
                labels.Add(new Label(name, value));
            }
            item.Finish("static config");
            groups.Add(new TargetGroup(i.ToString(System.Globalization.CultureInfo.InvariantCulture), targets, LabelSet.From(labels)));
        }
        return groups;
    }

    private FileSdConfig ReadFileSd(YamlSection section)
    {
        var files = section.Strings("files") ?? [];
        if (files.Count == 0)
        {
            throw section.Error("file service discovery config must contain at least one path name");
        }
        var resolved = new List<string>(files.Count);
        foreach (var file in files)
        {
            if (!FileSdPattern.IsValid(file))
            {
                throw section.ErrorAt("files", $"path name \"{file}\" is not valid for file discovery");
            }
            resolved.Add(Resolve(file)!);
        }
        var refresh = section.Duration("refresh_interval") ?? FileSdConfig.DefaultRefreshInterval;
        section.Finish("file_sd config");
        return new FileSdConfig(resolved, refresh);
    }

    private KubernetesSdConfig ReadKubernetesSd(YamlSection section)
    {
        var roleText = section.String("role");
        if (string.IsNullOrEmpty(roleText))
        {
            throw section.Error("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
        }
        var role = ParseRole(section, "role", roleText);
        Uri? apiServer = null;
        if (section.String("api_server") is { Length: > 0 } apiText
            && !Uri.TryCreate(apiText, UriKind.Absolute, out apiServer))
        {
            throw section.ErrorAt("api_server", $"parse \"{apiText}\": invalid URL");
        }
        var kubeconfig = Resolve(section.String("kubeconfig_file"));
        var http = ReadHttpClient(section, HttpClientConfig.Default);
        var names = new List<string>();
        var ownNamespace = false;
        if (section.Section("namespaces") is { } namespaces)
        {
            names.AddRange(namespaces.Strings("names") ?? []);
            ownNamespace = namespaces.Bool("own_namespace") ?? false;
            namespaces.Finish("namespace discovery");
        }
        var selectors = new Dictionary<KubernetesRole, KubernetesSelector>();
        foreach (var item in section.Sections("selectors", "empty or null section in selectors"))
        {
            var selectorRoleText = item.String("role") ?? "";
            var selectorRole = ParseRole(item, "role", selectorRoleText);
            if (selectors.ContainsKey(selectorRole))
            {
                throw item.ErrorAt("role", $"duplicated selector role: {selectorRoleText}");
            }
            var allowed = AllowedSelectors(role);
            if (!allowed.Contains(selectorRoleText, StringComparer.Ordinal))
            {
                throw item.ErrorAt("role", $"{roleText} role supports only {string.Join(", ", allowed)} selectors");
            }
            selectors[selectorRole] = new KubernetesSelector(item.String("label"), item.String("field"));
            item.Finish("selector");
        }
        var attachNode = false;
        if (section.Section("attach_metadata") is { } attach)
        {
            attachNode = attach.Bool("node") ?? false;
            // Namespace labels would need a namespace watch; leaving them out silently would break relabelling that expects them.
            if (attach.Bool("namespace") == true)
            {
                throw attach.ErrorAt("namespace", "attach_metadata.namespace is not supported by Kansoku yet");
            }
            attach.Finish("attach metadata");
        }
        if (kubeconfig is not null && apiServer is not null)
        {
            throw section.Error("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
        }
        if (kubeconfig is not null && http.IsCustom)
        {
            throw section.Error("cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
        }
        if (apiServer is null && http.IsCustom)
        {
            throw section.Error("to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
        }
        if (apiServer is not null && ownNamespace)
        {
            throw section.Error("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
        }
        if (kubeconfig is not null && ownNamespace)
        {
            throw section.Error("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
        }
        section.Finish("kubernetes_sd config");
        return new KubernetesSdConfig
        {
            Role = role,
            ApiServer = apiServer,
            KubeconfigFile = kubeconfig,
            Namespaces = names,
            OwnNamespace = ownNamespace,
            Selectors = selectors,
            AttachNodeMetadata = attachNode && role is KubernetesRole.Pod or KubernetesRole.Endpoints or KubernetesRole.EndpointSlice,
            Http = http,
        };
    }

    /// <summary>Which kinds a role's selectors may name: those it watches (Prometheus allows node for pod, for attach_metadata).</summary>
    private static string[] AllowedSelectors(KubernetesRole role) => role switch
    {
        KubernetesRole.Pod => ["pod", "node"],
        KubernetesRole.Service => ["service"],
        KubernetesRole.EndpointSlice => ["pod", "service", "endpointslice"],
        KubernetesRole.Endpoints => ["pod", "service", "endpoints"],
        _ => ["node"],
    };

    private static KubernetesRole ParseRole(YamlSection section, string key, string text) => text switch
    {
        "pod" => KubernetesRole.Pod,
        "service" => KubernetesRole.Service,
        "endpoints" => KubernetesRole.Endpoints,
        "endpointslice" => KubernetesRole.EndpointSlice,
        "node" => KubernetesRole.Node,
        "ingress" => throw section.ErrorAt(key, "the ingress role is not supported by Kansoku"),
        _ => throw section.ErrorAt(key, $"unknown Kubernetes SD role \"{text}\""),
    };

    private RemoteWriteConfig ReadRemoteWrite(YamlSection section)
    {
        var urlText = section.String("url");
        if (string.IsNullOrEmpty(urlText))
        {
            throw section.Error("url for remote_write is empty");
        }
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            throw section.ErrorAt("url", $"parse \"{urlText}\": invalid URL");
        }
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value, keyNode) in section.StringMap("headers") ?? [])
        {
            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                throw section.Error(keyNode, section.KeyPath("headers"),
                    "authorization header must be changed via the basic_auth, authorization, oauth2, sigv4, azuread or google_iam parameter");
            }
            if (Array.Exists(s_reservedHeaders, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)))
            {
                throw section.Error(keyNode, section.KeyPath("headers"), $"{name} is a reserved header. It must not be changed");
            }
            headers[name] = value;
        }
        var queue = new QueueConfig();
        if (section.Section("queue_config") is { } queueSection)
        {
            queue = new QueueConfig
            {
                Capacity = (int)(queueSection.Integer("capacity") ?? queue.Capacity),
                MaxShards = (int)(queueSection.Integer("max_shards") ?? queue.MaxShards),
                MinShards = (int)(queueSection.Integer("min_shards") ?? queue.MinShards),
                MaxSamplesPerSend = (int)(queueSection.Integer("max_samples_per_send") ?? queue.MaxSamplesPerSend),
                BatchSendDeadline = queueSection.Duration("batch_send_deadline") ?? queue.BatchSendDeadline,
                MinBackoff = queueSection.Duration("min_backoff") ?? queue.MinBackoff,
                MaxBackoff = queueSection.Duration("max_backoff") ?? queue.MaxBackoff,
                RetryOnHttp429 = queueSection.Bool("retry_on_http_429") ?? false,
            };
            if (queue.Validate() is { } error)
            {
                throw queueSection.Error(error);
            }
            queueSection.Finish("queue config");
        }
        var config = new RemoteWriteConfig
        {
            Url = url,
            Name = section.String("name") ?? "",
            RemoteTimeout = section.Duration("remote_timeout") ?? RemoteWriteConfig.DefaultRemoteTimeout,
            Headers = headers,
            WriteRelabelConfigs = ReadRelabelConfigs(section, "write_relabel_configs", "empty or null relabeling rule in remote write config"),
            Queue = queue,
            Http = ReadHttpClient(section, HttpClientConfig.Default with { EnableHttp2 = false }),
        };
        section.Finish("remote write config");
        return config;
    }

    private static List<RelabelConfig> ReadRelabelConfigs(YamlSection section, string key, string nullMessage)
    {
        var rules = new List<RelabelConfig>();
        foreach (var item in section.Sections(key, nullMessage))
        {
            rules.Add(ReadRelabelConfig(item));
        }
        return rules;
    }

    internal static RelabelConfig ReadRelabelConfig(YamlSection section)
    {
        var action = RelabelAction.Replace;
        if (section.Take("action") is { } actionNode)
        {
            var text = actionNode is YamlScalarNode scalar ? scalar.Value ?? "" : "";
            if (!RelabelConfig.TryParseAction(text, out action))
            {
                throw section.ErrorAt(actionNode, "action", $"unknown relabel action \"{text}\"");
            }
        }
        var regex = RelabelRegex.Default;
        if (section.Take("regex") is YamlScalarNode regexNode)
        {
            try
            {
                regex = RelabelRegex.Create(regexNode.Value ?? "");
            }
            catch (ArgumentException e)
            {
                throw section.ErrorAt(regexNode, "regex", $"error parsing regexp: {e.Message}");
            }
        }
        var sourceLabels = section.Strings("source_labels");
        foreach (var name in sourceLabels ?? [])
        {
            if (!LabelNames.IsValid(name))
            {
                throw section.ErrorAt("source_labels", $"\"{name}\" is not a valid label name");
            }
        }
        var modulus = section.NonNegative("modulus") ?? 0;
        // A separator or replacement given as null keeps its default; "" must stay "".
        var fields = new RelabelConfig
        {
            SourceLabels = sourceLabels ?? [],
            SourceLabelsGiven = sourceLabels is not null,
            Separator = section.String("separator") ?? RelabelConfig.DefaultSeparator,
            Regex = regex,
            Modulus = (ulong)modulus,
            TargetLabel = section.String("target_label") ?? "",
            Replacement = section.String("replacement") ?? RelabelConfig.DefaultReplacement,
            Action = action,
        };
        section.Finish("relabel config");
        try
        {
            return RelabelConfig.Create(fields);
        }
        catch (ArgumentException e)
        {
            throw section.Error(e.Message);
        }
    }

    private HttpClientConfig ReadHttpClient(YamlSection section, HttpClientConfig defaults)
    {
        if (section.Has("oauth2"))
        {
            throw section.ErrorAt("oauth2", "oauth2 is not supported by Kansoku");
        }
        BasicAuthConfig? basicAuth = null;
        if (section.Section("basic_auth") is { } basic)
        {
            var password = basic.String("password");
            var passwordFile = Resolve(basic.String("password_file"));
            if (basic.Has("username") && basic.Has("username_file"))
            {
                throw basic.Error("at most one of basic_auth username & username_file must be configured");
            }
            if (password is not null && passwordFile is not null)
            {
                throw basic.Error("at most one of basic_auth password & password_file must be configured");
            }
            var username = basic.String("username") ?? (Resolve(basic.String("username_file")) is { } usernameFile
                ? File.Exists(usernameFile) ? File.ReadAllText(usernameFile).Trim() : throw basic.ErrorAt("username_file", $"cannot read {usernameFile}")
                : "");
            basic.Finish("basic_auth");
            basicAuth = new BasicAuthConfig(username, password, passwordFile);
        }
        var bearerToken = section.String("bearer_token");
        var bearerTokenFile = Resolve(section.String("bearer_token_file"));
        if (bearerToken is not null && bearerTokenFile is not null)
        {
            throw section.Error("at most one of bearer_token & bearer_token_file must be configured");
        }
        var hasBearer = bearerToken is not null || bearerTokenFile is not null;
        if (basicAuth is not null && hasBearer)
        {
            throw section.Error("at most one of basic_auth, oauth2, bearer_token & bearer_token_file must be configured");
        }
        AuthorizationConfig? authorization = hasBearer ? new AuthorizationConfig("Bearer", bearerToken, bearerTokenFile) : null;
        if (section.Section("authorization") is { } auth)
        {
            if (hasBearer)
            {
                throw section.Error("authorization is not compatible with bearer_token & bearer_token_file");
            }
            if (basicAuth is not null)
            {
                throw section.Error("at most one of basic_auth, oauth2 & authorization must be configured");
            }
            var type = auth.String("type") is { Length: > 0 } given ? given : "Bearer";
            if (string.Equals(type, "basic", StringComparison.OrdinalIgnoreCase))
            {
                throw auth.ErrorAt("type", "authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
            }
            var credentials = auth.String("credentials");
            var credentialsFile = Resolve(auth.String("credentials_file"));
            if (credentials is not null && credentialsFile is not null)
            {
                throw auth.Error("at most one of authorization credentials & credentials_file must be configured");
            }
            auth.Finish("authorization");
            authorization = new AuthorizationConfig(type, credentials, credentialsFile);
        }
        var tls = section.Section("tls_config") is { } tlsSection ? ReadTls(tlsSection) : defaults.Tls;
        return defaults with
        {
            BasicAuth = basicAuth,
            Authorization = authorization,
            Tls = tls,
            FollowRedirects = section.Bool("follow_redirects") ?? defaults.FollowRedirects,
            EnableHttp2 = section.Bool("enable_http2") ?? defaults.EnableHttp2,
            ProxyUrl = section.String("proxy_url") ?? defaults.ProxyUrl,
        };
    }

    private TlsConfig ReadTls(YamlSection section)
    {
        var tls = new TlsConfig
        {
            Ca = section.String("ca"),
            CaFile = Resolve(section.String("ca_file")),
            Cert = section.String("cert"),
            CertFile = Resolve(section.String("cert_file")),
            Key = section.String("key"),
            KeyFile = Resolve(section.String("key_file")),
            ServerName = section.String("server_name"),
            InsecureSkipVerify = section.Bool("insecure_skip_verify") ?? false,
            MinVersion = TlsVersion(section, "min_version"),
            MaxVersion = TlsVersion(section, "max_version"),
        };
        section.Finish("tls_config");
        var hasCert = tls.Cert is not null || tls.CertFile is not null;
        var hasKey = tls.Key is not null || tls.KeyFile is not null;
        return (tls.Ca, tls.CaFile, tls.Cert, tls.CertFile, tls.Key, tls.KeyFile) switch
        {
            ({ }, { }, _, _, _, _) => throw section.Error("at most one of ca and ca_file must be configured"),
            (_, _, { }, { }, _, _) => throw section.Error("at most one of cert and cert_file must be configured"),
            (_, _, _, _, { }, { }) => throw section.Error("at most one of key and key_file must be configured"),
            _ when hasCert && !hasKey => throw section.Error("exactly one of key or key_file must be configured when a client certificate is configured"),
            _ when hasKey && !hasCert => throw section.Error("exactly one of cert or cert_file must be configured when a client key is configured"),
            _ => tls,
        };
    }

    private static string? TlsVersion(YamlSection section, string key) => section.String(key) switch
    {
        null => null,
        var version when version is "TLS10" or "TLS11" or "TLS12" or "TLS13" => version,
        var other => throw section.ErrorAt(key, $"unknown TLS version: {other}"),
    };

    /// <summary>A path relative to the configuration file's folder made absolute, as Prometheus' SetDirectory does.</summary>
    private string? Resolve(string? path) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(_directory, path));
}
