using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using k8s.Models;
using Kansoku.Scrape.KubeState;

namespace Kansoku.Scrape.Tests.KubeState;

public sealed class KubeQuantityTests
{
    [Theory]
    [InlineData("500m", 1, 0.5)]
    [InlineData("1Gi", 1073741824, 1073741824)]
    [InlineData("128974848", 128974848, 128974848)]
    [InlineData("123Mi", 128974848, 128974848)]
    [InlineData("129M", 129000000, 129000000)]
    [InlineData("1.5", 2, 1.5)]
    [InlineData("2", 2, 2)]
    [InlineData("100u", 1, 0.001)]
    [InlineData("1500u", 1, 0.002)]
    [InlineData("1e3", 1000, 1000)]
    [InlineData("1e-1", 1, 0.1)]
    [InlineData("0.5Ki", 512, 512)]
    [InlineData("0", 0, 0)]
    [InlineData("8E", 8000000000000000000, 8e18)]
    public void Values_round_up_to_whole_units_and_cores_up_to_whole_millicores(string text, long value, double cores)
    {
        var quantity = new ResourceQuantity(text);

        Assert.Equal(value, KubeQuantity.Value(quantity));
        Assert.Equal(cores, KubeQuantity.Cores(quantity));
    }

    [Theory]
    [InlineData("10E")]
    [InlineData("100000000000E")]
    [InlineData("1e40")]
    public void Quantities_past_int64_are_held_to_its_maximum(string text)
    {
        var quantity = new ResourceQuantity(text);

        Assert.Equal(long.MaxValue, KubeQuantity.Value(quantity));
        Assert.Equal(long.MaxValue, KubeQuantity.Cores(quantity));
    }

    [Property]
    public void Millicores_are_exact(NonNegativeInt millicores) =>
        Assert.Equal(millicores.Get / 1000.0, KubeQuantity.Cores(new ResourceQuantity($"{millicores.Get}m")));

    [Property]
    public Property Binary_suffixes_multiply_by_powers_of_1024() =>
        Prop.ForAll(
            Gen.Choose(0, 1 << 20).ToArbitrary(),
            Gen.Elements(("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40)).ToArbitrary(),
            (count, suffix) => KubeQuantity.Value(new ResourceQuantity($"{count}{suffix.Item1}")) == count * suffix.Item2);
}
