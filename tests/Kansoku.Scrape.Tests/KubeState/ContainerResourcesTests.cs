using k8s.Models;
using Kansoku.Scrape.KubeState;

namespace Kansoku.Scrape.Tests.KubeState;

public sealed class ContainerResourcesTests
{
    [Theory]
    [InlineData("cpu", "cpu", "core")]
    [InlineData("memory", "memory", "byte")]
    [InlineData("storage", "storage", "byte")]
    [InlineData("ephemeral-storage", "ephemeral_storage", "byte")]
    [InlineData("hugepages-1Gi", "hugepages_1Gi", "byte")]
    [InlineData("attachable-volumes-aws-ebs", "attachable_volumes_aws_ebs", "byte")]
    [InlineData("nvidia.com/gpu", "nvidia_com_gpu", "integer")]
    [InlineData("example.com/Fancy_Thing.v2", "example_com_Fancy_Thing_v2", "integer")]
    [InlineData("squat.ai/fuse", "squat_ai_fuse", "integer")]
    public void Reported_resources_have_kube_state_metrics_label_and_unit(string name, string resource, string unit)
    {
        var measurement = ContainerResources.Measure(name, new ResourceQuantity("1"));

        Assert.Equal(new ResourceMeasurement(resource, unit, 1), measurement);
    }

    [Theory]
    [InlineData("pods")]
    [InlineData("kubernetes.io/batch")]
    [InlineData("devices.kubernetes.io/fpga")]
    [InlineData("requests.example.com/gpu")]
    [InlineData("Example.com/gpu")]
    [InlineData("example.com/-gpu")]
    [InlineData("example.com/gpu/extra")]
    [InlineData("-example.com/gpu")]
    [InlineData("example..com/gpu")]
    [InlineData("/gpu")]
    [InlineData("example.com/")]
    public void Native_and_invalid_resources_are_not_reported(string name) =>
        Assert.Null(ContainerResources.Measure(name, new ResourceQuantity("1")));

    [Fact]
    public void Extended_resource_names_longer_than_63_characters_are_not_reported()
    {
        Assert.NotNull(ContainerResources.Measure("example.com/" + new string('g', 63), new ResourceQuantity("1")));
        Assert.Null(ContainerResources.Measure("example.com/" + new string('g', 64), new ResourceQuantity("1")));
    }
}
