using System.Text;
using Kansoku.LogQL.Engine.Templates;

namespace Kansoku.LogQL.Tests.Engine;

/// <summary>
/// The template engine of line_format/label_format: Go text/template syntax and the functions Loki offers, rendered
/// against labels foo="blip", bar="blop", n="5", f="2.5", empty="", the line "the line" and timestamp 1 ms after 2021-11-02.
/// </summary>
public sealed class TemplateTests
{
    private const long Timestamp = 1_635_811_200_001_000_000;

    [Theory]
    // Fields, pipelines and control flow.
    [InlineData("{{.foo}}", "blip")]
    [InlineData("{{ .missing }}|{{.foo}}", "|blip")]
    [InlineData("{{.foo | ToUpper}}-{{ToLower \"ABC\"}}", "BLIP-abc")]
    [InlineData("{{ .foo | replace \"i\" \"o\" | upper }}", "BLOP")]
    [InlineData("{{ if eq .foo \"blip\" }}yes{{ else }}no{{ end }}", "yes")]
    [InlineData("{{ if .empty }}a{{ else if .foo }}b{{ else }}c{{ end }}", "b")]
    [InlineData("{{ if and (contains \"li\" .foo) (hasPrefix \"bl\" .bar) }}both{{ end }}", "both")]
    [InlineData("{{ if or .empty .missing }}x{{ else }}none{{ end }}", "none")]
    [InlineData("{{ if not .empty }}empty is false{{ end }}", "empty is false")]
    [InlineData("{{- .foo -}}   \n  {{- .bar }}", "blipblop")]
    [InlineData("a {{/* comment */}}b", "a b")]
    [InlineData("{{ $x := .foo }}{{ $x }}{{ $x }}", "blipblip")]
    [InlineData("{{ with .foo }}<{{ . }}>{{ end }}{{ with .empty }}never{{ else }}else{{ end }}", "<blip>else")]
    [InlineData("{{ range $i, $v := fromJson \"[\\\"a\\\",\\\"b\\\"]\" }}{{ $i }}={{ $v }};{{ end }}", "0=a;1=b;")]
    [InlineData("{{ (fromJson \"{\\\"q\\\":{\\\"x\\\":7}}\").q.x }}", "7")]
    [InlineData("{{ len .foo }} {{ index (fromJson \"[1,2,3]\") 1 }}", "4 2")]
    // Strings.
    [InlineData("{{ .foo | substr 1 3 }} {{ .bar | trunc 1 }} {{ .bar | trunc -2 }}", "li b op")]
    [InlineData("{{ \"  x  \" | trim }}|{{ .bar | trimAll \"op\" }}|{{ .bar | trimPrefix \"b\" }}|{{ .bar | trimSuffix \"p\" }}", "x|bl|lop|blo")]
    [InlineData("{{ Trim \"xxhixx\" \"x\" }}{{ TrimLeft \"xxhi\" \"x\" }}{{ TrimRight \"hixx\" \"x\" }}{{ TrimPrefix \"ahi\" \"a\" }}{{ TrimSpace \" hi \" }}", "hihihihihi")]
    [InlineData("{{ Replace \"aaaa\" \"a\" \"b\" 2 }}", "bbaa")]
    [InlineData("{{ \"hello world\" | title }}", "Hello World")]
    [InlineData("{{ repeat 3 \"ab\" }}{{ \"x\" | indent 2 }}{{ \"y\" | nindent 1 }}", "ababab  x\n y")]
    [InlineData("{{ alignLeft 5 \"hi\" }}|{{ alignRight 5 \"hi\" }}|{{ alignLeft 2 \"hello\" }}|{{ alignRight 2 \"hello\" }}", "hi   |   hi|he|lo")]
    [InlineData("{{ regexReplaceAll \"(l)(i)\" .foo \"${2}$1\" }} {{ regexReplaceAllLiteral \"l\" .foo \"$1\" }}", "bilp b$1ip")]
    [InlineData("{{ count \"b|l\" \"blob\" }}", "3")]
    [InlineData("{{ \"a b&c\" | urlencode }} {{ \"a+b%26c\" | urldecode }}", "a+b%26c a b&c")]
    [InlineData("{{ .foo | b64enc }} {{ \"YmxpcA\" | b64dec }}", "YmxpcA== blip")]
    [InlineData("{{ .empty | default \"-\" }} {{ .foo | default \"-\" }}", "- blip")]
    [InlineData("{{ printf \"%s=%d %5.2f|%-4s|%q %x %t %v\" .foo 42 3.14159 \"ab\" \"q\" 255 true 1.5 }}", "blip=42  3.14|ab  |\"q\" ff true 1.5")]
    [InlineData("{{ printf \"%d\" .foo }}", "%!d(string=blip)")]
    [InlineData("{{ print 1 2 \"a\" \"b\" 3 }}", "1 2ab3")]
    // Numbers: sprig's casts and decimal float math.
    [InlineData("{{ add .n 1 | sub 10 | mul 2 | div 20 }}", "2")]
    [InlineData("{{ addf 1.5 1.5 | subf 5 1.5 | mulf 10.5 | divf 20.2 }}", "3.8476190476190477")]
    [InlineData("{{ addf 0.1 0.2 }}", "0.3")]
    [InlineData("{{ round 3.14159 2 }} {{ ceil .f }} {{ floor .f }} {{ mod 20 6 }}", "3.14 3 2 2")]
    [InlineData("{{ max 5 10 15 }} {{ min 5 10 15 }} {{ maxf 5.3 10.5 }} {{ minf 5.3 10.5 }}", "15 5 10.5 5.3")]
    [InlineData("{{ \"2.5\" | float64 | int | add 10 }}", "12")]
    [InlineData("{{ 1e6 }} {{ 123456.0 }} {{ 0.0001 }} {{ 0.00001 }}", "1e+06 123456 0.0001 1e-05")]
    [InlineData("{{ \"1KB\" | bytes }} {{ \"1m30s\" | duration }} {{ duration_seconds \"250ms\" }}", "1000 90 0.25")]
    // Time.
    [InlineData("{{ __timestamp__ }}", "2021-11-02 00:00:00.001 +0000 UTC")]
    [InlineData("{{ __timestamp__ | date \"2006-01-02T15:04:05.000Z07:00 Mon Jan _2 3PM\" }}", "2021-11-02T00:00:00.001Z Tue Nov  2 12AM")]
    [InlineData("{{ __timestamp__ | unixEpoch }} {{ __timestamp__ | unixEpochMillis }} {{ __timestamp__ | unixEpochNanos }}",
        "1635811200 1635811200001 1635811200001000000")]
    [InlineData("{{ sub (unixEpoch (toDate \"2006-01-02\" \"2021-11-02\")) (unixEpoch (toDate \"2006-01-02\" \"2021-11-01\")) }}", "86400")]
    [InlineData("{{ date \"2006-01-02\" (toDate \"2006-01-02\" \"2021-11-02\") }}", "2021-11-02")]
    [InlineData("{{ toDateInZone \"2006-01-02 15:04\" \"UTC\" \"2021-11-02 10:30\" | unixEpoch }}", "1635849000")]
    [InlineData("{{ toDate \"2006-01-02T15:04:05Z07:00\" \"2021-11-02T10:30:00+02:00\" | unixEpoch }}", "1635841800")]
    [InlineData("{{ unixToTime \"1635811200\" | unixEpoch }} {{ unixToTime \"1635811200123\" | unixEpochMillis }} {{ unixToTime \"18933\" | unixEpoch }}",
        "1635811200 1635811200123 1635811200")]
    [InlineData("{{ toDate \"2006-01-02\" \"not a date\" }}", "0001-01-01 00:00:00 +0000 UTC")]
    [InlineData("{{ __line__ | upper }}", "THE LINE")]
    public void Renders(string template, string expected)
    {
        var output = Render(template, out var error);
        Assert.Null(error);
        Assert.Equal(expected, output, StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("{{.foo.bar}}", "template: line:1:2: executing \"line\" at <.foo.bar>: can't evaluate field bar in type string")]
    [InlineData("{{ trunc \"x\" .foo }}", "template: line:1:3: executing \"line\" at <trunc>: wrong type for value; expected int; got string")]
    [InlineData("{{ ToUpper }}", "template: line:1:3: executing \"line\" at <ToUpper>: wrong number of args for ToUpper: want 1 got 0")]
    [InlineData("{{ div 1 0 }}", "template: line:1:3: executing \"line\" at <div>: error calling div: runtime error: integer divide by zero")]
    [InlineData("{{ .foo 1 }}", "template: line:1:3: executing \"line\" at <.foo>: can't give argument to non-function .foo")]
    [InlineData("{{ regexReplaceAll \"(\" .foo \"x\" }}", null)]
    public void Reports_execution_errors_as_go_does(string template, string? expected)
    {
        Render(template, out var error);
        Assert.NotNull(error);
        if (expected is not null)
        {
            Assert.Equal(expected, error);
        }
        else
        {
            Assert.Contains("error calling regexReplaceAll: error parsing regexp", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("{{ .foo ")]
    [InlineData("{{ nosuchfunction .foo }}")]
    [InlineData("{{ if .foo }}never closed")]
    [InlineData("{{ end }}")]
    [InlineData("{{ \"unterminated }}")]
    public void Refuses_invalid_templates(string template) => Assert.Throws<TemplateException>(() => Template.Parse("line", template));

    [Fact]
    public void Reports_fields_and_simple_keys()
    {
        var template = Template.Parse("line", "{{ .a }} {{ if .b }}{{ .c.d }}{{ end }} {{ __line__ }}");
        Assert.Equal(["a", "b", "c", "d"], template.Fields);
        Assert.True(template.UsesLine);
        Assert.Null(template.SimpleKey);
        Assert.Equal("msg", Template.Parse("line", "{{.msg}}").SimpleKey);
    }

    private static string Render(string text, out string? error)
    {
        var template = Template.Parse("line", text);
        var clock = new FixedTimeProvider(DateTimeOffset.UnixEpoch);
        var context = new TemplateContext(clock);
        context.Reset(Timestamp, "the line");
        context.Labels["foo"] = "blip";
        context.Labels["bar"] = "blop";
        context.Labels["n"] = "5";
        context.Labels["f"] = "2.5";
        context.Labels["empty"] = "";
        var output = new StringBuilder();
        return template.TryExecute(context, output, out error) ? output.ToString() : "";
    }
}
