using System.Buffers;
using System.Text;
using Kansoku.Core.Exposition;
using Kansoku.Core.Labels;

namespace Kansoku.Core.Tests.Exposition;

public sealed class ExpositionWriterTests
{
    [Fact]
    public void Families_samples_and_escaping_follow_the_text_format()
    {
        var text = Write(writer =>
        {
            writer.WriteFamily("http_requests_total", "Requests\nby \"code\" \\ path.", MetricKind.Counter);
            writer.WriteSample("http_requests_total", [new Label("code", "200"), new Label("path", "a\"b\\c\nd")], 1027L);
            writer.WriteSample("http_requests_total", [], 1.5e6);
        });
        Assert.Equal(
            "# HELP http_requests_total Requests\\nby \"code\" \\\\ path.\n"
            + "# TYPE http_requests_total counter\n"
            + "http_requests_total{code=\"200\",path=\"a\\\"b\\\\c\\nd\"} 1027\n"
            + "http_requests_total 1.5e+06\n",
            text);
    }

    [Fact]
    public void Non_ascii_names_and_values_are_utf8()
    {
        var text = Write(writer => writer.WriteSample("up", [new Label("city", "東京")], double.NaN));
        Assert.Equal("up{city=\"東京\"} NaN\n", text);
    }

    [Fact]
    public void Buckets_carry_le_after_the_other_labels()
    {
        var text = Write(writer =>
        {
            writer.WriteBucket("latency_seconds", [new Label("op", "get")], 0.25, 3);
            writer.WriteBucket("latency_seconds", [], double.PositiveInfinity, 4);
            writer.WriteSumAndCount("latency_seconds", [], 0.75, 4);
        });
        Assert.Equal(
            "latency_seconds_bucket{op=\"get\",le=\"0.25\"} 3\n"
            + "latency_seconds_bucket{le=\"+Inf\"} 4\n"
            + "latency_seconds_sum 0.75\n"
            + "latency_seconds_count 4\n",
            text);
    }

    internal static string Write(Action<ExpositionWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(16);
        write(new ExpositionWriter(buffer));
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
