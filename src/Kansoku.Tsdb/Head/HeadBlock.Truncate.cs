using Kansoku.Core.Labels;

namespace Kansoku.Tsdb.Head;

internal sealed partial class HeadBlock
{
    /// <summary>
    /// Drops everything before <paramref name="minTime"/> (persisted in a block by now) and refuses samples before it
    /// from then on; series left without chunks and not held by an appender are removed. Returns the number removed.
    /// </summary>
    public int Truncate(long minTime)
    {
        RaiseMinValidTime(minTime);
        var retired = new List<MemSeries>();
        foreach (var series in AllSeries())
        {
            lock (series)
            {
                series.Truncate(minTime);
                if (series.TryRetire())
                {
                    retired.Add(series);
                }
            }
        }
        if (retired.Count > 0)
        {
            RemoveSeries(retired);
        }
        lock (_commitLock)
        {
            if (_minTime < minTime)
            {
                Volatile.Write(ref _minTime, IsEmpty || _maxTime < minTime ? long.MaxValue : minTime);
            }
            if (_maxTime < minTime)
            {
                Volatile.Write(ref _maxTime, long.MinValue);
            }
        }
        return retired.Count;
    }

    /// <summary>Refuses samples before <paramref name="minTime"/> from now on (at append, and at commit for those already pending).</summary>
    public void RaiseMinValidTime(long minTime)
    {
        if (minTime > Volatile.Read(ref _minValidTime))
        {
            Volatile.Write(ref _minValidTime, minTime);
        }
    }

    private void RemoveSeries(List<MemSeries> retired)
    {
        var refs = new HashSet<ulong>();
        var labels = new List<LabelSet>(retired.Count);
        lock (_createLock)
        {
            foreach (var series in retired)
            {
                refs.Add(series.Ref);
                labels.Add(series.Labels);
                _byRef.TryRemove(series.Ref, out _);
                _seriesCount--;
                if (_byHash.TryGetValue(series.Labels.Hash, out var byHash) && ReferenceEquals(byHash, series))
                {
                    _byHash.TryRemove(series.Labels.Hash, out _);
                    PromoteCollision(series.Labels.Hash);
                }
                else if (_hashCollisions.TryGetValue(series.Labels.Hash, out var collided))
                {
                    collided.Remove(series);
                    if (collided.Count == 0)
                    {
                        _hashCollisions.Remove(series.Labels.Hash);
                    }
                }
            }
            RebuildStrings();
        }
        // Refs that a WAL replay aliased to the same series are dropped with it.
        foreach (var (reference, series) in _byRef)
        {
            if (series.IsRetired)
            {
                _byRef.TryRemove(reference, out _);
            }
        }
        Postings.Remove(refs, labels);
    }

    private void PromoteCollision(ulong hash)
    {
        if (_hashCollisions.TryGetValue(hash, out var collided) && collided.Count > 0)
        {
            _byHash[hash] = collided[^1];
            collided.RemoveAt(collided.Count - 1);
            if (collided.Count == 0)
            {
                _hashCollisions.Remove(hash);
            }
        }
    }

    private void RebuildStrings()
    {
        _strings.Clear();
        foreach (var series in AllSeries())
        {
            foreach (var label in series.Labels.AsSpan())
            {
                _strings.Add(label.Name);
                _strings.Add(label.Value);
            }
        }
    }
}
