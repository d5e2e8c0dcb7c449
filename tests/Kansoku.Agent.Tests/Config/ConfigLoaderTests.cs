using Kansoku.Agent.Config;
using Kansoku.Testing;

namespace Kansoku.Agent.Tests.Config;

public sealed class ConfigLoaderTests : IDisposable
{
    private const string Classic = "# agent\n[INPUT]\n    Name dummy\n";
    private const string Yaml = "# agent\ninputs:\n  - name: dummy\n";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("agent.conf", Classic)]
    [InlineData("agent.yaml", Yaml)]
    [InlineData("agent.YML", Yaml)]
    [InlineData("agent", Classic)]
    [InlineData("agent.cfg", "\n@SET x=dummy\n[INPUT]\n    Name ${x}\n")]
    [InlineData("agent", Yaml)]
    public void Picks_the_loader_by_extension_or_content(string name, string text)
    {
        var spec = ConfigLoader.Load(_dir.Write(name, text), _ => null);

        Assert.Equal("dummy", Assert.Single(spec.Inputs).Type);
    }

    [Fact]
    public void Extension_wins_over_content()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(_dir.Write("agent.conf", Yaml), _ => null));

        Assert.Equal(2, error.Location.Line);
    }

    [Fact]
    public void Loads_the_seed_configuration()
    {
        var spec = ConfigLoader.Load(RepositoryPaths.SeedConfig("fluent-bit.conf"));

        Assert.Equal(2, spec.Parsers.Count);
        Assert.Equal(["kubernetes", "grep"], spec.Filters.Select(f => f.Type));
    }

    [Fact]
    public void Missing_file_is_a_config_error()
    {
        var path = Path.Combine(_dir.Path, "agent");

        Assert.Equal(new SourceLocation(path, 0, 0), Assert.Throws<ConfigException>(() => ConfigLoader.Load(path)).Location);
    }
}
