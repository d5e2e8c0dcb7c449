using System.Text.Json;
using Kansoku.Agent.Pipeline;
using Kansoku.Core.IO;

namespace Kansoku.Agent.Checkpoints;

/// <summary>
/// The durable state file <c>{stateDir}/checkpoints.json</c> (docs/format/checkpoint.md). Each save writes a temporary
/// file, fsyncs it, renames it over the old one and fsyncs the directory, so after a crash the file is either the old or
/// the new state, never a mix. Saves are serialised by the caller (one pipeline commit loop).
/// With <see cref="SyncPolicy.Normal"/> the fsyncs are skipped: rename is still atomic for a process crash.
/// </summary>
internal sealed class CheckpointStore
{
    private const int FormatVersion = 1;
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly string _directory;
    private readonly SyncPolicy _sync;

    public CheckpointStore(string stateDirectory, SyncPolicy sync = SyncPolicy.Full)
    {
        _sync = sync;
        Directory.CreateDirectory(stateDirectory);
        _directory = stateDirectory;
        _path = Path.Combine(stateDirectory, "checkpoints.json");
        _temporaryPath = _path + ".tmp";
    }

    public string FilePath => _path;

    /// <summary>Reads the saved state; a missing file is an empty state, a damaged one is an error that names the file.</summary>
    public List<Checkpoint> Load()
    {
        if (!File.Exists(_path))
        {
            return [];
        }
        try
        {
            var bytes = File.ReadAllBytes(_path);
            var file = JsonSerializer.Deserialize(bytes, CheckpointJsonContext.Default.CheckpointFile);
            return file?.Files ?? [];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{_path}: damaged checkpoint file ({e.Message}); move it away to start over", e);
        }
    }

    public void Save(List<Checkpoint> checkpoints)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new CheckpointFile(FormatVersion, checkpoints), CheckpointJsonContext.Default.CheckpointFile);
        using (var stream = new FileStream(_temporaryPath, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: _sync == SyncPolicy.Full);
        }
        File.Move(_temporaryPath, _path, overwrite: true);
        if (_sync == SyncPolicy.Full)
        {
            DirectorySync.Fsync(_directory);
        }
    }
}
