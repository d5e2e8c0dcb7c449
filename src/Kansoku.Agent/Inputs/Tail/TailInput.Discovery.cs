using Kansoku.Agent.Pipeline;
using Microsoft.Win32.SafeHandles;

namespace Kansoku.Agent.Inputs.Tail;

internal sealed partial class TailInput
{
    /// <summary>Re-evaluates the globs: notices rotated, deleted and truncated files and opens new ones.</summary>
    private void Discover()
    {
        _lastDiscovery = _time.GetTimestamp();
        var firstScan = !_started;
        _started = true;

        foreach (var file in _files)
        {
            if (!file.Rotated && FileIdentity.OfPath(file.Path) != file.Identity)
            {
                file.Rotated = true;
                _log.Debug($"{file.Path}: rotated or deleted; reading {file.Identity} to its end");
            }
        }

        _globbed.Clear();
        foreach (var pattern in _options.Paths)
        {
            PathGlob.Expand(pattern, _globbed);
        }
        foreach (var path in _globbed)
        {
            if (RotatedSiblings.IsIgnored(path) || IsExcludedPath(path) || IsOpenUnderPath(path))
            {
                continue;
            }
            TryOpen(path, firstScan, rotated: false, fromHead: false);
        }

        if (firstScan)
        {
            RecoverUnclaimed();
        }
    }

    private bool IsExcludedPath(string path)
    {
        foreach (var pattern in _options.ExcludePaths)
        {
            if (PathGlob.Matches(pattern, path))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsOpenUnderPath(string path)
    {
        foreach (var file in _files)
        {
            if (!file.Rotated && string.Equals(file.Path, path, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    private bool IsOpen(FileIdentity identity)
    {
        foreach (var file in _files)
        {
            if (file.Identity == identity)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Files that checkpoints name but no glob found: rotated while the agent was down. Each is read on from its
    /// checkpoint, and so is every newer rotated sibling (written and rotated entirely during the downtime).
    /// </summary>
    private void RecoverUnclaimed()
    {
        foreach (var cursor in _checkpointer.Unclaimed())
        {
            var identity = new FileIdentity(cursor.Device, cursor.Inode);
            var siblings = RotatedSiblings.List(cursor.RealPath);
            var found = false;
            foreach (var sibling in siblings)
            {
                var siblingIdentity = FileIdentity.OfPath(sibling);
                if (siblingIdentity is null)
                {
                    continue;
                }
                if (!found)
                {
                    if (siblingIdentity == identity)
                    {
                        found = true;
                        TryOpen(sibling, firstScan: false, rotated: true, fromHead: false);
                    }
                    continue;
                }
                if (!IsOpen(siblingIdentity.Value) && !_checkpointer.IsKnown(siblingIdentity.Value))
                {
                    TryOpen(sibling, firstScan: false, rotated: true, fromHead: true);
                }
            }
            if (!found && FileIdentity.OfPath(cursor.RealPath) != identity)
            {
                _log.Warn($"{cursor.Path}: the file checkpointed at byte {cursor.Committed} ({identity}) is gone; " +
                          "it was compressed or deleted while the agent was stopped");
            }
        }
    }

    private void TryOpen(string path, bool firstScan, bool rotated, bool fromHead)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Debug($"{path}: cannot open: {e.Message}");
            return;
        }
        var keep = false;
        try
        {
            var identity = FileIdentity.Of(handle);
            if (IsOpen(identity) || _checkpointer.IsFinished(identity))
            {
                return;
            }
            var length = RandomAccess.GetLength(handle);
            var realPath = ResolveRealPath(path);
            var cursor = _checkpointer.Claim(identity, handle);
            long offset;
            if (cursor is not null)
            {
                offset = cursor.Committed <= length ? cursor.Committed : 0;
            }
            else
            {
                // A file present at start is followed from its end unless Read_from_Head; a file that appears later,
                // or that replaced one we had a checkpoint for, is new since then and read whole.
                var startAtEnd = firstScan && !fromHead && !_options.ReadFromHead && !_checkpointer.HasRealPath(realPath);
                offset = startAtEnd ? length : 0;
                cursor = _checkpointer.Register(identity, FileFingerprint.Read(handle), path, realPath, offset);
            }
            var source = new LogSource(path, ExpandTag(_options.Tag, rotated ? cursor.Path : path));
            var file = new TailedFile(path, realPath, handle, identity, cursor, offset, source)
            {
                Rotated = rotated,
                LastGrowth = _time.GetTimestamp(),
            };
            _files.Add(file);
            keep = true;
            _log.Debug($"{path}: following {identity} from byte {offset}");
        }
        finally
        {
            if (!keep)
            {
                handle.Dispose();
            }
        }
    }

    private static string ResolveRealPath(string path)
    {
        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    /// <summary>Fluent Bit's tag expansion: <c>kube.*</c> + <c>/var/log/containers/a.log</c> = <c>kube.var.log.containers.a.log</c>.</summary>
    internal static string ExpandTag(string tag, string path)
    {
        var star = tag.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return tag;
        }
        var dotted = path.TrimStart('/').Replace('/', '.');
        return string.Concat(tag.AsSpan(0, star), dotted, tag.AsSpan(star + 1));
    }

    /// <summary>Lets go of rotated files read to their end once RotateWait has passed without growth.</summary>
    private void CloseFinished(bool force)
    {
        for (var i = _files.Count - 1; i >= 0; i--)
        {
            var file = _files[i];
            if (!file.Rotated || file.ReadOffset < RandomAccess.GetLength(file.Handle))
            {
                continue;
            }
            if (!force && _time.GetElapsedTime(file.LastGrowth) < _options.RotateWait)
            {
                continue;
            }
            FlushHeldBack(file);
            _builder.SetPosition(file.Cursor, file.ReadOffset);
            file.Cursor.Finished = true;
            _builder.Close(file.Cursor);
            _files.RemoveAt(i);
            file.Dispose();
        }
    }
}
