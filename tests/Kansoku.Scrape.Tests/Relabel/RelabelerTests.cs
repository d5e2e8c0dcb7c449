using Kansoku.Core.Labels;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Relabel;

namespace Kansoku.Scrape.Tests.Relabel;

public sealed class RelabelerTests
{
    private static LabelSet Apply(LabelSet input, params string[] rules) =>
        Relabeler.Process(input, [.. rules.Select(RelabelRules.Parse)])!;

    private static LabelSet? TryApply(LabelSet input, params string[] rules) =>
        Relabeler.Process(input, [.. rules.Select(RelabelRules.Parse)]);

    private static readonly LabelSet s_pod = LabelSet.From(
        ("__address__", "10.1.2.3:8080"),
        ("__meta_kubernetes_namespace", "shop"),
        ("__meta_kubernetes_pod_name", "web-1"),
        ("__meta_kubernetes_pod_label_app", "web"),
        ("__meta_kubernetes_pod_label_app_kubernetes_io_name", "webapp"),
        ("__meta_kubernetes_pod_annotation_prometheus_io_port", "9102"),
        ("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"));

    [Fact]
    public void Replace_defaults_copy_the_joined_sources_into_the_target()
    {
        var result = Apply(s_pod, "{ source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_pod_name], target_label: pod }");
        Assert.Equal("shop;web-1", result.Get("pod"));
    }

    [Fact]
    public void Replace_expands_numbered_braced_and_named_groups()
    {
        var result = Apply(s_pod,
            """{ source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port], regex: '([^:]+)(?::\d+)?;(\d+)', replacement: '$1:$2', target_label: __address__ }""",
            """{ source_labels: [__meta_kubernetes_pod_name], regex: '(?P<app>[a-z]+)-(\d+)', replacement: '${app}_${2}x', target_label: ordinal }""",
            """{ source_labels: [__meta_kubernetes_pod_name], regex: '(?P<app>[a-z]+)-.*', replacement: '$2x$$', target_label: literal }""");
        Assert.Equal("10.1.2.3:9102", result.Get("__address__"));
        // Named groups count left to right as in Go: ${2} is the digits, though .NET alone would number the named group last.
        Assert.Equal("web_1x", result.Get("ordinal"));
        // "$2x" names group "2x", which does not exist: empty, as Go's Expand; "$$" is a dollar.
        Assert.Equal("$", result.Get("literal"));
    }

    [Fact]
    public void Replace_with_a_target_template_writes_the_expanded_name()
    {
        var result = Apply(s_pod, """{ source_labels: [__meta_kubernetes_pod_label_app], regex: '(.+)', target_label: 'team_${1}', replacement: yes }""");
        Assert.Equal("yes", result.Get("team_web"));
    }

    [Fact]
    public void Replace_does_nothing_without_a_match_and_deletes_on_an_empty_result()
    {
        var result = Apply(s_pod,
            "{ source_labels: [__meta_kubernetes_pod_name], regex: 'db-.*', target_label: role, replacement: database }",
            "{ source_labels: [__meta_kubernetes_pod_name], regex: 'web-.*', target_label: __meta_kubernetes_namespace, replacement: '' }");
        Assert.False(result.Has("role"));
        Assert.False(result.Has("__meta_kubernetes_namespace"));
    }

    [Fact]
    public void Regex_is_anchored_on_both_ends()
    {
        Assert.Null(TryApply(s_pod, "{ source_labels: [__meta_kubernetes_pod_name], regex: 'web', action: keep }"));
        Assert.NotNull(TryApply(s_pod, "{ source_labels: [__meta_kubernetes_pod_name], regex: 'web.*', action: keep }"));
        // '.' matches a newline and '$' does not stop before a trailing one.
        var multiline = LabelSet.From(("a", "x\ny"), ("b", "x\n"));
        Assert.NotNull(TryApply(multiline, "{ source_labels: [a], regex: 'x.y', action: keep }"));
        Assert.Null(TryApply(multiline, "{ source_labels: [b], regex: 'x', action: keep }"));
    }

    [Fact]
    public void Keep_and_drop_decide_on_the_joined_value()
    {
        const string KeepScraped = "{ source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape], regex: 'true', action: keep }";
        Assert.Same(s_pod, TryApply(s_pod, KeepScraped));
        Assert.Null(TryApply(s_pod.With("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "false"), KeepScraped));
        Assert.Null(TryApply(s_pod, "{ source_labels: [__meta_kubernetes_namespace], regex: 'shop|kube-system', action: drop }"));
        Assert.NotNull(TryApply(s_pod, "{ source_labels: [__meta_kubernetes_namespace], regex: 'kube-system', action: drop }"));
        // Keep with the default regex keeps everything, an absent label included.
        Assert.NotNull(TryApply(s_pod, "{ source_labels: [absent], action: keep }"));
    }

    [Fact]
    public void Keepequal_and_dropequal_compare_with_the_target_label()
    {
        var labels = LabelSet.From(("__meta_port", "8080"), ("__meta_container_port", "8080"), ("other", "9090"));
        Assert.NotNull(TryApply(labels, "{ source_labels: [__meta_port], target_label: __meta_container_port, action: keepequal }"));
        Assert.Null(TryApply(labels, "{ source_labels: [__meta_port], target_label: other, action: keepequal }"));
        Assert.Null(TryApply(labels, "{ source_labels: [__meta_port], target_label: __meta_container_port, action: dropequal }"));
        Assert.NotNull(TryApply(labels, "{ source_labels: [__meta_port], target_label: other, action: dropequal }"));
    }

    [Theory]
    [InlineData("baz", 1000, "976")]
    [InlineData("foo\nbar", 1000, "734")]
    [InlineData("10.0.0.1:9100", 4, "1")]
    [InlineData("web-1", 7, "2")]
    public void Hashmod_matches_prometheus_md5_values(string value, int modulus, string expected)
    {
        var result = Apply(LabelSet.From(("a", value)), $"{{ source_labels: [a], modulus: {modulus}, target_label: shard, action: hashmod }}");
        Assert.Equal(expected, result.Get("shard"));
    }

    [Fact]
    public void Labelmap_copies_matching_names_with_the_replacement()
    {
        var result = Apply(s_pod, """{ regex: '__meta_kubernetes_pod_label_(.+)', action: labelmap }""");
        Assert.Equal("web", result.Get("app"));
        Assert.Equal("webapp", result.Get("app_kubernetes_io_name"));
        Assert.Equal("web", result.Get("__meta_kubernetes_pod_label_app"));
        var prefixed = Apply(s_pod, """{ regex: '__meta_kubernetes_pod_label_(.+)', replacement: 'k8s_$1', action: labelmap }""");
        Assert.Equal("web", prefixed.Get("k8s_app"));
    }

    [Fact]
    public void Labeldrop_and_labelkeep_filter_names()
    {
        var dropped = Apply(s_pod, "{ regex: '__meta_kubernetes_pod_annotation_.*', action: labeldrop }");
        Assert.Equal(s_pod.Count - 2, dropped.Count);
        Assert.False(dropped.Has("__meta_kubernetes_pod_annotation_prometheus_io_port"));
        var kept = Apply(s_pod, "{ regex: '__address__|__meta_kubernetes_namespace', action: labelkeep }");
        Assert.Equal(LabelSet.From(("__address__", "10.1.2.3:8080"), ("__meta_kubernetes_namespace", "shop")), kept);
    }

    [Fact]
    public void Lowercase_and_uppercase_write_the_converted_value()
    {
        var labels = LabelSet.From(("a", "Web-Ä"), ("b", "Shop"));
        var result = Apply(labels,
            "{ source_labels: [a, b], target_label: lower, action: lowercase }",
            "{ source_labels: [a], target_label: upper, action: UpperCase }");
        Assert.Equal("web-ä;shop", result.Get("lower"));
        Assert.Equal("WEB-Ä", result.Get("upper"));
    }

    [Fact]
    public void Rules_apply_in_order_and_the_first_drop_ends_processing()
    {
        var result = TryApply(s_pod,
            "{ source_labels: [__meta_kubernetes_pod_name], target_label: name }",
            "{ source_labels: [name], regex: 'web-1', action: drop }",
            "{ target_label: never, replacement: set }");
        Assert.Null(result);
    }

    [Fact]
    public void Unchanged_sets_come_back_as_the_same_instance()
    {
        Assert.Same(s_pod, Relabeler.Process(s_pod, []));
        Assert.Same(s_pod, TryApply(s_pod, "{ source_labels: [absent], regex: 'x', target_label: y }"));
    }

    [Theory]
    [InlineData("{ action: hashmod, target_label: x, source_labels: [a] }", "relabel configuration for hashmod requires non-zero modulus")]
    [InlineData("{ source_labels: [a] }", "relabel configuration for replace action requires 'target_label' value")]
    [InlineData("{ source_labels: [a], target_label: '1bad' }", "\"1bad\" is invalid 'target_label' for replace action")]
    [InlineData("{ source_labels: [a], target_label: 'x-${1}' }", "\"x-${1}\" is invalid 'target_label' for replace action")]
    [InlineData("{ source_labels: [a], target_label: b, action: lowercase, replacement: x }", "'replacement' can not be set for lowercase action")]
    [InlineData("{ source_labels: [a], target_label: b, action: keepequal, regex: x }", "keepequal action requires only 'source_labels' and `target_label`, and no other fields")]
    [InlineData("{ regex: a, action: labeldrop, source_labels: [] }", "labeldrop action requires only 'regex', and no other fields")]
    [InlineData("{ regex: a, action: labelkeep, separator: ',' }", "labelkeep action requires only 'regex', and no other fields")]
    [InlineData("{ regex: '(.+)', action: labelmap, replacement: '-$1' }", "\"-$1\" is invalid 'replacement' for labelmap action")]
    [InlineData("{ action: rewrite }", "unknown relabel action \"rewrite\"")]
    public void Invalid_rules_are_refused_with_prometheus_messages(string yaml, string message)
    {
        var error = Assert.Throws<ConfigException>(() => RelabelRules.Parse(yaml));
        Assert.Equal(message, error.Reason);
    }

    [Fact]
    public void Invalid_regex_is_an_error_at_its_line()
    {
        var error = Assert.Throws<ConfigException>(() => RelabelRules.Parse("source_labels: [a]\ntarget_label: b\nregex: '(unclosed'\n"));
        Assert.Equal(3, error.Line);
        Assert.StartsWith("error parsing regexp", error.Reason, StringComparison.Ordinal);
    }
}
