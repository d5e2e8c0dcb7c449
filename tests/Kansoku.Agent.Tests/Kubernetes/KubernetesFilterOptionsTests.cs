using Kansoku.Agent.Config;
using Kansoku.Agent.Kubernetes;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Kubernetes;

public sealed class KubernetesFilterOptionsTests
{
    [Fact]
    public void Seed_filter_section_reads_every_key()
    {
        var spec = Spec(
            ("Match", "*"),
            ("Kube_URL", "https://kubernetes.default.svc:443"),
            ("Kube_CA_File", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"),
            ("Kube_Token_File", "/var/run/secrets/kubernetes.io/serviceaccount/token"),
            ("Kube_Tag_Prefix", "kube.var.log.containers."),
            ("Merge_Log", "On"),
            ("Keep_Log", "Off"),
            ("Annotations", "Off"),
            ("Labels", "On"),
            ("Merge_Log_Key", "log_processed"),
            ("K8S-Logging.Parser", "On"),
            ("K8S-Logging.Exclude", "On"),
            ("Use_Kubelet", "Off"),
            ("Kube_Meta_Cache_TTL", "60s"),
            ("tls.verify", "Off"));
        spec.MarkUsed("Match");

        var options = KubernetesFilterOptions.From(spec, Env(("NODE_NAME", "worker-1")));

        Assert.Equal(KubernetesApiMode.InCluster, options.ApiMode);
        Assert.Equal("https://kubernetes.default.svc:443", options.KubeUrl);
        Assert.True(options.MergeLog);
        Assert.False(options.KeepLog);
        Assert.False(options.IncludeAnnotations);
        Assert.True(options.IncludeLabels);
        Assert.Equal("log_processed", options.MergeLogKey);
        Assert.True(options.AllowParserAnnotation);
        Assert.True(options.AllowExcludeAnnotation);
        Assert.False(options.TlsVerify);
        Assert.Equal(("worker-1", true), (options.NodeName, options.NodeNameExplicit));
        Assert.Empty(spec.UnusedProperties());
    }

    [Fact]
    public void Service_env_vars_give_the_url_and_no_config_means_path_only()
    {
        var inCluster = KubernetesFilterOptions.From(Spec(), Env(("KUBERNETES_SERVICE_HOST", "10.96.0.1"), ("KUBERNETES_SERVICE_PORT", "6443")));
        var outside = KubernetesFilterOptions.From(Spec(), Env());
        var kubeconfig = KubernetesFilterOptions.From(Spec(("kubeconfig", "/home/me/.kube/config"), ("node_name", "n1")), Env(("NODE_NAME", "n2")));

        Assert.Equal((KubernetesApiMode.InCluster, "https://10.96.0.1:6443"), (inCluster.ApiMode, inCluster.KubeUrl));
        Assert.Equal(KubernetesApiMode.PathOnly, outside.ApiMode);
        Assert.Equal(Environment.MachineName, outside.NodeName);
        Assert.False(outside.NodeNameExplicit);
        Assert.Equal((KubernetesApiMode.Kubeconfig, "/home/me/.kube/config", "n1"), (kubeconfig.ApiMode, kubeconfig.KubeconfigPath, kubeconfig.NodeName));
        Assert.True(inCluster.IncludeAnnotations);
        Assert.True(inCluster.KeepLog);
    }

    [Fact]
    public void Bad_values_name_the_key()
    {
        var error = Assert.Throws<ConfigException>(() => KubernetesFilterOptions.From(Spec(("Merge_Log", "maybe")), Env()));
        Assert.Equal("Merge_Log", error.Key);
        Assert.Equal("Kube_URL", Assert.Throws<ConfigException>(() => KubernetesFilterOptions.From(Spec(("Kube_URL", "not a url")), Env())).Key);
    }

    [Fact]
    public void Path_only_options_have_no_api()
    {
        Assert.Equal(KubernetesApiMode.PathOnly, KubernetesFilterOptions.PathOnly().ApiMode);
    }

    [Theory]
    [InlineData("kansoku.io/parser", "a", "app", "stdout", "a")]
    [InlineData("fluentbit.io/parser", "b", "app", "stdout", "b")]
    [InlineData("fluentbit.io/parser-app", "c", "app", "stderr", "c")]
    [InlineData("fluentbit.io/parser-app", "c", "sidecar", "stderr", null)]
    [InlineData("fluentbit.io/parser_stderr-app", "d", "app", "stderr", "d")]
    [InlineData("fluentbit.io/parser_stderr-app", "d", "app", "stdout", null)]
    [InlineData("fluentbit.io/parser_stdout", "e", "app", "stdout", "e")]
    public void Parser_annotation_forms(string key, string value, string container, string stream, string? expected)
    {
        var metadata = Metadata((key, value));

        Assert.Equal(expected, KubernetesAnnotations.PodParserAnnotation(metadata, container, stream == "stdout" ? LogStream.Stdout : LogStream.Stderr));
    }

    [Fact]
    public void Most_specific_parser_annotation_wins_and_kansoku_beats_fluent_bit()
    {
        var metadata = Metadata(("fluentbit.io/parser", "generic"), ("fluentbit.io/parser-app", "per-container"),
            ("fluentbit.io/parser_stderr-app", "per-stream"));

        Assert.Equal("per-stream", KubernetesAnnotations.PodParserAnnotation(metadata, "app", LogStream.Stderr));
        Assert.Equal("per-container", KubernetesAnnotations.PodParserAnnotation(metadata, "app", LogStream.Stdout));
        Assert.Equal("generic", KubernetesAnnotations.PodParserAnnotation(metadata, "other"));
        Assert.Equal("mine", KubernetesAnnotations.PodParserAnnotation(
            Metadata(("fluentbit.io/parser", "theirs"), ("kansoku.io/parser", "mine")), "app"));
    }

    [Fact]
    public void Exclude_annotations()
    {
        Assert.True(KubernetesAnnotations.IsExcluded(Metadata(("kansoku.io/exclude", "true")), "app"));
        Assert.True(KubernetesAnnotations.IsExcluded(Metadata(("fluentbit.io/exclude", "On")), "app"));
        Assert.True(KubernetesAnnotations.IsExcluded(Metadata(("fluentbit.io/exclude-app", "true")), "app"));
        Assert.False(KubernetesAnnotations.IsExcluded(Metadata(("fluentbit.io/exclude-app", "true")), "other"));
        Assert.False(KubernetesAnnotations.IsExcluded(Metadata(("fluentbit.io/exclude", "false")), "app"));
        Assert.False(KubernetesAnnotations.IsExcluded(Metadata(), "app"));
    }

    private static KubernetesMetadata Metadata(params (string Key, string Value)[] annotations) => new()
    {
        NamespaceName = "demo",
        PodName = "p",
        ContainerName = "app",
        Annotations = annotations.ToDictionary(a => a.Key, a => a.Value),
    };

    private static ComponentSpec Spec(params (string Key, string Value)[] properties)
    {
        var spec = new ComponentSpec(ComponentKind.Filter, "kubernetes", new SourceLocation("fluent-bit.conf", 27, 1));
        foreach (var (key, value) in properties)
        {
            spec.Add(key, value, new SourceLocation("fluent-bit.conf", 28, 5));
        }
        return spec;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
