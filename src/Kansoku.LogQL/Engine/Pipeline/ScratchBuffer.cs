namespace Kansoku.LogQL.Engine.Pipeline;

/// <summary>A reused byte buffer that grows to the largest line seen.</summary>
internal sealed class ScratchBuffer
{
    private byte[] _bytes = new byte[256];

    public byte[] ForLength(int length)
    {
        if (_bytes.Length < length)
        {
            _bytes = new byte[Math.Max(length, _bytes.Length * 2)];
        }
        return _bytes;
    }
}
