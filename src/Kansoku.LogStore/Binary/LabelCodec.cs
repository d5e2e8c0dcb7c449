using Kansoku.Core.Labels;

namespace Kansoku.LogStore.Binary;

/// <summary>A label set on disk: varint count, then per label a varint-length UTF-8 name and value.</summary>
internal static class LabelCodec
{
    private const int MaxLabels = 1 << 16;

    public static void Write(ByteBuffer buffer, LabelSet labels)
    {
        buffer.WriteVarint((ulong)labels.Count);
        foreach (var label in labels.AsSpan())
        {
            buffer.WriteString(label.Name);
            buffer.WriteString(label.Value);
        }
    }

    public static LabelSet Read(ref ByteReader reader)
    {
        var count = reader.ReadLength(MaxLabels);
        if (count == 0)
        {
            return LabelSet.Empty;
        }
        var labels = new Label[count];
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            var value = reader.ReadString();
            labels[i] = new Label(name, value);
        }
        return LabelSet.From(labels);
    }
}
