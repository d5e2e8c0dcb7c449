using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Kansoku.Core.Exposition;

namespace Kansoku.Scrape.KubeState;

/// <summary>
/// Answers the kube-state-metrics job's scrapes from the <see cref="KubeStateCache"/> in this process, in the text
/// format, so those series go through the same scrape loop as any target's: <c>up</c>, relabelling and staleness when
/// a pod goes away included.
/// </summary>
internal sealed class KubeStateEndpoint(KubeStateCache cache) : HttpMessageHandler
{
    private static readonly MediaTypeHeaderValue s_contentType = MediaTypeHeaderValue.Parse(ExpositionWriter.ContentType);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        Write(cache.Families(), new ExpositionWriter(body));
        var content = new ReadOnlyMemoryContent(body.WrittenMemory);
        content.Headers.ContentType = s_contentType;
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
    }

    internal static void Write(IReadOnlyList<KubeStateFamily> families, ExpositionWriter writer)
    {
        foreach (var family in families)
        {
            writer.WriteFamily(family.Name, family.Help, family.Type == "counter" ? MetricKind.Counter : MetricKind.Gauge);
            foreach (var sample in family.Samples)
            {
                writer.WriteSample(family.Name, sample.Labels.AsSpan(), sample.Value);
            }
        }
    }
}
