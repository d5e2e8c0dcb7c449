namespace Kansoku.RemoteWrite.Sender;

/// <summary>
/// How many shards a queue needs (Prometheus' calculateDesiredShards): enough that the time sending takes per sample,
/// times the rate samples come in plus a twentieth of the backlog, keeps up. Rates are exponentially weighted over the
/// update ticks; changes within 30% of the current count are ignored, and a queue more than 10 s of input behind does not
/// shed shards. Called from the queue's resharding loop only.
/// </summary>
internal sealed class ShardPlanner(int minShards, int maxShards, TimeSpan interval)
{
    /// <summary>Prometheus' ewmaWeight.</summary>
    private const double Weight = 0.2;

    private const double Tolerance = 0.3;

    private const double BacklogCatchUp = 0.05;

    private const double MaxBacklogSecondsToShrink = 10;

    private long _lastIn;
    private long _lastOut;
    private TimeSpan _lastSendTime;
    private double? _inRate;
    private double _outRate;
    private double _sendSecondsRate;

    /// <summary>The last computed need, before rounding and bounds, for the counters.</summary>
    public double Desired { get; private set; }

    /// <summary>
    /// The shard count to run next from the cumulative counters at this tick: samples enqueued and sent so far, the time
    /// spent sending so far, and the samples waiting now.
    /// </summary>
    public int Next(int current, long samplesIn, long samplesSent, TimeSpan sendTime, long pending)
    {
        var seconds = interval.TotalSeconds;
        var inRate = (samplesIn - _lastIn) / seconds;
        var outRate = (samplesSent - _lastOut) / seconds;
        var sendSecondsRate = (sendTime - _lastSendTime).TotalSeconds / seconds;
        (_lastIn, _lastOut, _lastSendTime) = (samplesIn, samplesSent, sendTime);
        if (_inRate is not { } previousIn)
        {
            (_inRate, _outRate, _sendSecondsRate) = (inRate, outRate, sendSecondsRate);
        }
        else
        {
            _inRate = previousIn + (Weight * (inRate - previousIn));
            _outRate += Weight * (outRate - _outRate);
            _sendSecondsRate += Weight * (sendSecondsRate - _sendSecondsRate);
        }
        if (_outRate <= 0)
        {
            return current;
        }
        var timePerSample = _sendSecondsRate / _outRate;
        Desired = timePerSample * (_inRate.Value + (BacklogCatchUp * pending));
        var next = Math.Ceiling(Desired);
        if (next >= current * (1 - Tolerance) && next <= current * (1 + Tolerance))
        {
            return current;
        }
        if (next < current && pending > _inRate.Value * MaxBacklogSecondsToShrink)
        {
            return current;
        }
        return (int)Math.Clamp(next, minShards, maxShards);
    }
}
