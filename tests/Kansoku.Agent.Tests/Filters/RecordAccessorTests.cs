using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using System.Text.Json.Nodes;
using Kansoku.Agent.Filters;
using Kansoku.Agent.Pipeline;

namespace Kansoku.Agent.Tests.Filters;

public sealed class RecordAccessorTests
{
    private const string Json = """{"level":"error","status":503,"ok":false,"http":{"method":"GET","path":"/a\"b","tags":["x","y"]},"nothing":null}""";

    [Theory]
    [InlineData("level", "error")]
    [InlineData("$level", "error")]
    [InlineData("$status", "503")]
    [InlineData("$ok", "false")]
    [InlineData("$http['method']", "GET")]
    [InlineData("$http[\"path\"]", "/a\"b")]
    [InlineData("$.http.method", "GET")]
    [InlineData("$http.tags[1]", "y")]
    [InlineData("$http['tags']", "[\"x\",\"y\"]")]
    [InlineData("log", "{\"level\":\"error\"} raw")]
    [InlineData("stream", "stdout")]
    [InlineData("time", "2024-11-25T08:00:12.123456789Z")]
    [InlineData("$kubernetes['namespace_name']", "demo")]
    [InlineData("$.kubernetes.namespace_name", "demo")]
    [InlineData("$kubernetes['labels']['app']", "webapp")]
    [InlineData("$kubernetes['labels']['app.kubernetes.io/name']", "webapp")]
    [InlineData("$.kubernetes.labels.app.kubernetes.io/name", "webapp")]
    [InlineData("$kubernetes['annotations']['prometheus.io/scrape']", "true")]
    [InlineData("$kubernetes['namespace_labels']['team']", "shop")]
    [InlineData("$kubernetes['container_image']", "ghcr.io/example/webapp:1.4.2")]
    [InlineData("$kubernetes['host']", "worker-1")]
    [InlineData("$kubernetes['pod_id']", "3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77")]
    [InlineData("$kubernetes['docker_id']", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public void Reads_the_same_from_raw_and_materialised_fields(string pattern, string expected)
    {
        var accessor = RecordAccessor.Parse(pattern);
        var raw = Records.Line("{\"level\":\"error\"} raw", Json, Records.Webapp);
        var tree = Records.Line("{\"level\":\"error\"} raw", Json, Records.Webapp);
        _ = tree.Fields;
        char[] buffer = [];

        Assert.True(accessor.TryRead(raw, ref buffer, out var fromRaw));
        Assert.Equal(expected, fromRaw.ToString());
        Assert.True(accessor.TryRead(tree, ref buffer, out var fromTree));
        Assert.Equal(expected, fromTree.ToString());
        Assert.True(raw.TryGetRawFields(out _), "a read must not materialise the fields");
    }

    [Theory]
    [InlineData("$nothing")]
    [InlineData("$missing")]
    [InlineData("$http['missing']")]
    [InlineData("$http.tags[5]")]
    [InlineData("$level['deeper']")]
    [InlineData("$kubernetes['labels']['missing']")]
    [InlineData("$kubernetes['unknown']")]
    public void Missing_or_null_keys_are_absent(string pattern)
    {
        char[] buffer = [];
        Assert.False(RecordAccessor.Parse(pattern).TryRead(Records.Line("x", Json, Records.Webapp), ref buffer, out _));
    }

    [Fact]
    public void Fields_win_over_virtual_keys_and_level_falls_back_to_severity()
    {
        char[] buffer = [];
        var withFieldLevel = Records.Line("x", """{"level":"warning"}""");
        withFieldLevel.Severity = Severity.Warn;
        var withoutFields = Records.Line("x");
        withoutFields.Severity = Severity.Error;

        RecordAccessor.Parse("level").TryRead(withFieldLevel, ref buffer, out var fromField);
        Assert.Equal("warning", fromField.ToString());
        RecordAccessor.Parse("level").TryRead(withoutFields, ref buffer, out var fromSeverity);
        Assert.Equal("error", fromSeverity.ToString());
        Assert.False(RecordAccessor.Parse("$kubernetes['namespace_name']").Exists(withoutFields));
    }

    [Theory]
    [InlineData("$")]
    [InlineData("$['unterminated")]
    [InlineData("$a[x]")]
    [InlineData("$a..b")]
    [InlineData("")]
    public void Malformed_patterns_are_rejected(string pattern) =>
        Assert.Throws<FormatException>(() => RecordAccessor.Parse(pattern));

    [Fact]
    public void Set_and_remove_work_on_nested_fields()
    {
        var record = Records.Line("x", """{"a":{"b":1}}""");

        RecordAccessor.Parse("$a['c']['d']").Set(record, JsonValue.Create("v"));
        Assert.True(RecordAccessor.Parse("$a['b']").Remove(record));

        Assert.Equal("""{"a":{"c":{"d":"v"}}}""", Records.FieldsJson(record));
        Assert.True(RecordAccessor.Parse("log").Remove(record));
        Assert.False(record.KeepLog);
    }

    [Property(MaxTest = 200)]
    public Property Any_string_value_reads_back_through_raw_json(NonNull<string> key, NonNull<string> value)
    {
        var json = new JsonObject { [key.Get] = value.Get, ["other"] = 1 }.ToJsonString();
        var record = Records.Line("x", json);
        char[] buffer = [];
        var pattern = $"$['{key.Get}']".Replace("$['", "$[\"", StringComparison.Ordinal).Replace("']", "\"]", StringComparison.Ordinal);
        // The accessor's bracket syntax has no escapes: keys with quotes, backslashes or brackets cannot be written in it.
        var usable = key.Get.Length > 0 && key.Get.AsSpan().IndexOfAny("\"\\[]'") < 0 && key.Get != "other";
        return (!usable || (RecordAccessor.Parse(pattern).TryRead(record, ref buffer, out var read) && read.ToString() == value.Get))
            .ToProperty();
    }
}
