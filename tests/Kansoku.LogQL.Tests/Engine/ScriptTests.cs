namespace Kansoku.LogQL.Tests.Engine;

/// <summary>The hand-computed scenarios in testdata/engine/*.logqltest (Loki's logqltest format).</summary>
public sealed class ScriptTests
{
    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata", "engine"), "*.logqltest"))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_passes(string file)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "testdata", "engine", file));
        var failures = LogQLScript.Run(file, text, out var skipped);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(0, skipped);
    }
}
