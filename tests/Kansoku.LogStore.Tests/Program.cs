namespace Kansoku.LogStore.Tests;

/// <summary>
/// Entry point when this assembly is run as a program (the test runner loads it as a library and never calls it):
/// <c>dotnet Kansoku.LogStore.Tests.dll crash-writer DIR</c> appends until killed, see <see cref="CrashWriter"/>.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["crash-writer", var directory])
        {
            await CrashWriter.RunAsync(directory);
            return 0;
        }
        await Console.Error.WriteLineAsync("usage: crash-writer DIR");
        return 2;
    }
}
