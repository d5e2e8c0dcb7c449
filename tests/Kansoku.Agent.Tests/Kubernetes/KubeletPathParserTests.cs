using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Kansoku.Agent.Kubernetes;

namespace Kansoku.Agent.Tests.Kubernetes;

public sealed class KubeletPathParserTests
{
    private const string Id = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    [Theory]
    [InlineData("/var/log/containers/webapp-7d4b9c6f5d-x2x8k_demo_webapp-" + Id + ".log", "webapp-7d4b9c6f5d-x2x8k", "demo", "webapp")]
    [InlineData("/var/log/containers/coredns-5d78c9869d-abcde_kube-system_coredns-" + Id + ".log", "coredns-5d78c9869d-abcde", "kube-system", "coredns")]
    [InlineData("/var/log/containers/my.pod.v2-0_ns-1_istio-proxy-" + Id + ".log", "my.pod.v2-0", "ns-1", "istio-proxy")]
    [InlineData("/host/var/log/containers/a_b_c-" + Id + ".log", "a", "b", "c")]
    public void Containers_symlink_names_split_from_the_right(string path, string pod, string ns, string container)
    {
        var parsed = KubeletPathParser.Parse(path)!;

        Assert.Equal((pod, ns, container, Id), (parsed.PodName, parsed.NamespaceName, parsed.ContainerName, parsed.DockerId));
        Assert.Equal(-1, parsed.RestartCount);
        Assert.Equal("", parsed.PodId);
    }

    [Theory]
    [InlineData("/var/log/pods/demo_webapp-7d4b9c6f5d-x2x8k_3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77/webapp/0.log", 0)]
    [InlineData("/var/log/pods/demo_webapp-7d4b9c6f5d-x2x8k_3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77/webapp/12.log", 12)]
    [InlineData("/var/log/pods/demo_webapp-7d4b9c6f5d-x2x8k_3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77/webapp/3.log.20241125-080000", 3)]
    [InlineData("/var/log/pods/demo_webapp-7d4b9c6f5d-x2x8k_3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77/webapp/3.log.20241125-080000.gz", 3)]
    public void Pods_paths_give_uid_and_restart_count(string path, int restart)
    {
        var parsed = KubeletPathParser.Parse(path)!;

        Assert.Equal(("demo", "webapp-7d4b9c6f5d-x2x8k", "webapp"), (parsed.NamespaceName, parsed.PodName, parsed.ContainerName));
        Assert.Equal("3f1c2a9e-5b7d-4e21-9a0c-6d8e2f4b1a77", parsed.PodId);
        Assert.Equal(restart, parsed.RestartCount);
        Assert.Equal("", parsed.DockerId);
    }

    [Theory]
    [InlineData("/var/log/syslog")]
    [InlineData("/var/log/containers/webapp_demo_webapp-" + Id + ".txt")]
    [InlineData("/var/log/containers/webapp_demo_webapp-9f86d081.log")]
    [InlineData("/var/log/containers/webapp_demo_webapp-" + "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08" + ".log")]
    [InlineData("/var/log/containers/webapp_demo_webapp_" + Id + ".log")]
    [InlineData("/var/log/containers/webappdemo_webapp-" + Id + ".log")]
    [InlineData("/var/log/containers/a_b_c_d-" + Id + ".log")]
    [InlineData("/var/log/other/webapp_demo_webapp-" + Id + ".log")]
    [InlineData("/var/log/pods/demo_webapp/webapp/0.log")]
    [InlineData("/var/log/pods/demo_webapp_uid/webapp/x.log")]
    [InlineData("/var/log/pods/demo_webapp_uid/webapp/0.logx")]
    [InlineData("/var/log/elsewhere/demo_webapp_uid/webapp/0.log")]
    public void Other_paths_are_not_containers(string path) => Assert.Null(KubeletPathParser.Parse(path));

    [Fact]
    public void Tags_parse_with_the_prefix()
    {
        var tag = "kube.var.log.containers.webapp-7d4b9c6f5d-x2x8k_demo_webapp-" + Id + ".log";

        var parsed = KubeletPathParser.ParseTag(tag, KubeletPathParser.DefaultTagPrefix)!;

        Assert.Equal(("webapp-7d4b9c6f5d-x2x8k", "demo", "webapp"), (parsed.PodName, parsed.NamespaceName, parsed.ContainerName));
        Assert.Null(KubeletPathParser.ParseTag(tag, "custom."));
        Assert.Equal("demo", KubeletPathParser.ParseTag("custom.a_demo_c-" + Id + ".log", "custom.")!.NamespaceName);
    }

    [Fact]
    public void Symlink_into_pods_adds_uid_and_restart_count()
    {
        var root = Directory.CreateTempSubdirectory("kansoku-kube-").FullName;
        try
        {
            var podDirectory = Path.Combine(root, "var/log/pods/demo_webapp-1_0c0ffee0-aaaa-4bbb-8ccc-123456789abc/webapp");
            Directory.CreateDirectory(podDirectory);
            var target = Path.Combine(podDirectory, "2.log");
            File.WriteAllText(target, "");
            var containers = Path.Combine(root, "var/log/containers");
            Directory.CreateDirectory(containers);
            var link = Path.Combine(containers, $"webapp-1_demo_webapp-{Id}.log");
            File.CreateSymbolicLink(link, target);
            var relativeLink = Path.Combine(containers, $"webapp-1_demo_webapp-{new string('e', 64)}.log");
            File.CreateSymbolicLink(relativeLink, "../pods/demo_webapp-1_0c0ffee0-aaaa-4bbb-8ccc-123456789abc/webapp/2.log");

            var parsed = KubeletPathParser.ParseResolvingLinks(link)!;
            var parsedRelative = KubeletPathParser.ParseResolvingLinks(relativeLink)!;

            Assert.Equal(("0c0ffee0-aaaa-4bbb-8ccc-123456789abc", 2, Id), (parsed.PodId, parsed.RestartCount, parsed.DockerId));
            Assert.Equal(("0c0ffee0-aaaa-4bbb-8ccc-123456789abc", 2), (parsedRelative.PodId, parsedRelative.RestartCount));
            Assert.Equal(-1, KubeletPathParser.ParseResolvingLinks(Path.Combine(containers, $"other-1_demo_webapp-{Id}.log"))!.RestartCount);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Property(MaxTest = 300)]
    public Property Composed_containers_paths_parse_back() =>
        Prop.ForAll(Names().ToArbitrary(), names =>
        {
            var (pod, ns, container, id) = names;
            var path = "/var/log/containers/" + KubeletPathParser.ContainersFileName(pod, ns, container, id);
            var parsed = KubeletPathParser.Parse(path);
            var tagged = KubeletPathParser.ParseTag("kube" + path.Replace('/', '.'), KubeletPathParser.DefaultTagPrefix);
            return parsed is not null && tagged is not null
                && parsed.PodName == pod && parsed.NamespaceName == ns && parsed.ContainerName == container && parsed.DockerId == id
                && tagged.PodName == pod && tagged.NamespaceName == ns && tagged.ContainerName == container;
        });

    [Property(MaxTest = 300)]
    public Property Composed_pods_paths_parse_back() =>
        Prop.ForAll(Names().ToArbitrary(), Gen.Choose(0, 500).ToArbitrary(), (names, restart) =>
        {
            var (pod, ns, container, _) = names;
            var uid = Guid.NewGuid().ToString();
            var parsed = KubeletPathParser.Parse($"/var/log/pods/{ns}_{pod}_{uid}/{container}/{restart}.log");
            return parsed is not null && parsed.PodName == pod && parsed.NamespaceName == ns
                && parsed.ContainerName == container && parsed.PodId == uid && parsed.RestartCount == restart;
        });

    /// <summary>Valid names: DNS labels for namespace and container, a DNS subdomain (dots allowed) for the pod.</summary>
    private static Gen<(string Pod, string Namespace, string Container, string Id)> Names()
    {
        var alnum = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789".ToCharArray());
        var inner = Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-".ToCharArray());
        Gen<string> Label(Gen<char> middle) =>
            from first in alnum
            from rest in Gen.ListOf(middle).Select(l => new string([.. l.Take(20)]))
            from last in alnum
            select first + rest + last;
        var subdomainChar = Gen.Frequency((8, inner), (1, Gen.Constant('.')));
        var pod = Label(subdomainChar).Where(p => !p.Contains("..", StringComparison.Ordinal)
            && !p.Contains(".-", StringComparison.Ordinal) && !p.Contains("-.", StringComparison.Ordinal));
        var hex = Gen.Elements("0123456789abcdef".ToCharArray()).ArrayOf(64).Select(c => new string(c));
        return from p in pod
               from n in Label(inner)
               from c in Label(inner)
               from id in hex
               select (p, n, c, id);
    }
}
