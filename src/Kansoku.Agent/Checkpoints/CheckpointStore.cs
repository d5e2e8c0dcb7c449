using System.Text.Json;

namespace Kansoku.Agent.Checkpoints;

/// <summary>
/// The durable state file <c>{stateDir}/checkpoints.json</c> (docs/format/checkpoint.md). Each save writes a temporary
/// file, fsyncs it, renames it over the old one and fsyncs the directory, so after a crash the file is either the old or
/// the new state, never a mix. Saves are serialised by the caller (one pipeline commit loop).
/// </summary>
internal sealed class CheckpointStore
{
    private const int FormatVersion = 1;
    private readonly string _path;
    private readonly string _temporaryPath;
    private readonly string _directory;

    public CheckpointStore(string stateDirectory)
    {
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
            stream.Flush(flushToDisk: true);
        }
        File.Move(_temporaryPath, _path, overwrite: true);
        DirectorySync.Fsync(_directory);
    }
}
