using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using k8s.Models;
using Kansoku.Scrape.KubeState;
using static Kansoku.Scrape.Tests.KubeState.KubeStateTestData;

namespace Kansoku.Scrape.Tests.KubeState;

public sealed class KubeStateCacheTests
{
    [Fact]
    public void An_empty_cache_still_lists_every_family_sorted_by_name_with_kube_state_metrics_help_and_type()
    {
        var families = new KubeStateCache().Families();

        Assert.Equal(
            [
                "kube_deployment_spec_replicas", "kube_deployment_status_replicas_available", "kube_node_info", "kube_node_status_condition",
                "kube_pod_container_resource_limits", "kube_pod_container_resource_requests",
                "kube_pod_container_status_last_terminated_reason", "kube_pod_container_status_ready",
                "kube_pod_container_status_restarts_total", "kube_pod_container_status_running", "kube_pod_container_status_terminated",
                "kube_pod_container_status_waiting", "kube_pod_container_status_waiting_reason", "kube_pod_info", "kube_pod_status_phase",
            ],
            families.Select(f => f.Name));
        Assert.All(families, f => Assert.Empty(f.Samples));
        Assert.Equal(["kube_pod_container_status_restarts_total"], families.Where(f => f.Type == "counter").Select(f => f.Name));
        Assert.All(families.Where(f => f.Type != "counter"), f => Assert.Equal("gauge", f.Type));
        Assert.Equal("[STABLE] The pods current phase.", families.Single(f => f.Name == "kube_pod_status_phase").Help);
        // kube-state-metrics marks only its STABLE families; last_terminated_reason is ALPHA.
        Assert.Equal("Describes the last reason the container was in terminated state.",
            families.Single(f => f.Name == "kube_pod_container_status_last_terminated_reason").Help);
    }

    [Fact]
    public void Samples_are_sorted_by_labels_whatever_order_the_objects_arrive_in()
    {
        var forwards = new KubeStateCache();
        var backwards = new KubeStateCache();
        foreach (var pod in Pods())
        {
            forwards.Upsert(pod);
        }
        foreach (var pod in Pods().Reverse())
        {
            backwards.Upsert(pod);
        }

        // Label sets compare label by label in name order (namespace, phase, pod, uid), as Prometheus sorts series.
        Assert.Equal(
            [
                "ops/Failed/migrate-28861440-7sk2p", "ops/Pending/migrate-28861440-7sk2p", "ops/Running/migrate-28861440-7sk2p",
                "ops/Succeeded/migrate-28861440-7sk2p", "ops/Unknown/migrate-28861440-7sk2p",
                "shop/Failed/api-0", "shop/Failed/checkout-6c9f8d7b5-qp4tz", "shop/Failed/web-7d4b9c8f6-x2xkq",
                "shop/Pending/api-0", "shop/Pending/checkout-6c9f8d7b5-qp4tz", "shop/Pending/web-7d4b9c8f6-x2xkq",
                "shop/Running/api-0", "shop/Running/checkout-6c9f8d7b5-qp4tz", "shop/Running/web-7d4b9c8f6-x2xkq",
                "shop/Succeeded/api-0", "shop/Succeeded/checkout-6c9f8d7b5-qp4tz", "shop/Succeeded/web-7d4b9c8f6-x2xkq",
                "shop/Unknown/api-0", "shop/Unknown/checkout-6c9f8d7b5-qp4tz", "shop/Unknown/web-7d4b9c8f6-x2xkq",
            ],
            Family(forwards, "kube_pod_status_phase").Samples.Select(s => $"{s.Labels.Get("namespace")}/{s.Labels.Get("phase")}/{s.Labels.Get("pod")}"));
        Assert.Equal(Lines(forwards), Lines(backwards));
    }

    [Fact]
    public void Deleting_a_pod_removes_all_its_series_and_keeps_the_others()
    {
        var cache = CacheWithAllObjects();
        var web = Pod("web-7d4b9c8f6-x2xkq");
        Assert.Contains(Lines(cache), line => line.Contains(WebUid, StringComparison.Ordinal));

        cache.Delete(web);

        Assert.DoesNotContain(Lines(cache), line => line.Contains(WebUid, StringComparison.Ordinal));
        AssertSamples(cache, "kube_pod_container_status_restarts_total",
            Sample(Migrate(("container", "migrate")), 0), Sample(Api(("container", "api")), 12));
        Assert.Equal(18, Family(cache, "kube_node_status_condition").Samples.Count);
    }

    [Fact]
    public void An_upsert_replaces_the_samples_of_the_object_with_the_same_uid()
    {
        var cache = new KubeStateCache();
        var api = Pod("api-0");
        cache.Upsert(api);
        var before = cache.Families();

        api.Status.ContainerStatuses[0].RestartCount = 13;
        api.Status.ContainerStatuses[0].State = new V1ContainerState { Running = new V1ContainerStateRunning() };
        cache.Upsert(api);

        AssertSamples(cache, "kube_pod_container_status_restarts_total", Sample(Api(("container", "api")), 13));
        AssertSamples(cache, "kube_pod_container_status_waiting_reason");
        AssertSamples(cache, "kube_pod_container_status_running", Sample(Api(("container", "api")), 1));
        // The snapshot handed out earlier is not changed under its reader.
        Assert.Equal(12, before.Single(f => f.Name == "kube_pod_container_status_restarts_total").Samples[0].Value);
    }

    [Fact]
    public void A_pod_recreated_under_the_same_name_is_a_new_object()
    {
        var cache = new KubeStateCache();
        var first = Pod("api-0");
        var second = Pod("api-0");
        second.Metadata.Uid = "11111111-2222-4333-8444-555555555555";

        cache.Upsert(first);
        cache.Upsert(second);
        cache.Delete(first);

        Assert.Equal(["11111111-2222-4333-8444-555555555555"],
            Family(cache, "kube_pod_info").Samples.Select(s => s.Labels.Get("uid")));
    }

    [Fact]
    public void Replace_forgets_objects_missing_from_the_new_list_and_leaves_other_kinds_alone()
    {
        var cache = CacheWithAllObjects();

        cache.Replace([Pod("api-0")]);
        cache.Replace(Nodes().Where(n => n.Metadata.Name == "node-b"));

        Assert.Equal(["api-0"], Family(cache, "kube_pod_info").Samples.Select(s => s.Labels.Get("pod")));
        Assert.Equal(["node-b"], Family(cache, "kube_node_info").Samples.Select(s => s.Labels.Get("node")));
        Assert.Equal(3, Family(cache, "kube_deployment_status_replicas_available").Samples.Count);
    }

    [Fact]
    public void Deleting_every_kind_empties_the_cache()
    {
        var cache = CacheWithAllObjects();

        foreach (var pod in Pods())
        {
            cache.Delete(pod);
        }
        foreach (var deployment in Deployments())
        {
            cache.Delete(deployment);
        }
        foreach (var node in Nodes())
        {
            cache.Delete(node);
        }

        Assert.Empty(Lines(cache));
    }

    [Fact]
    public async Task Concurrent_upserts_deletes_and_reads_end_in_the_state_of_the_last_writes()
    {
        var cache = new KubeStateCache();
        var pods = Enumerable.Range(0, 200).Select(i =>
        {
            var pod = Pod("api-0");
            pod.Metadata.Name = $"api-{i}";
            pod.Metadata.Uid = $"uid-{i}";
            return pod;
        }).ToArray();

        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = w; i < pods.Length; i += 4)
            {
                cache.Upsert(pods[i]);
                if (i % 2 == 1)
                {
                    cache.Delete(pods[i]);
                }
            }
        }));
        var reader = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                foreach (var family in cache.Families())
                {
                    Assert.All(family.Samples, s => Assert.NotEqual("", s.Labels.Get("uid")));
                }
            }
        });
        await Task.WhenAll([.. writers, reader]);

        var expected = Enumerable.Range(0, 100).Select(i => $"uid-{2 * i}").Order(StringComparer.Ordinal);
        Assert.Equal(expected, Family(cache, "kube_pod_info").Samples.Select(s => s.Labels.Get("uid")));
    }

    [Property]
    public Property Any_sequence_of_upserts_and_deletes_leaves_the_series_of_the_pods_last_upserted()
    {
        var pods = Enumerable.Range(0, 6).Select(i =>
        {
            var pod = Pod("api-0");
            pod.Metadata.Uid = $"uid-{i}";
            return pod;
        }).ToArray();
        return Prop.ForAll(
            Gen.ListOf(Gen.Zip(Gen.Choose(0, 5), Gen.Elements(true, false))).ToArbitrary(),
            operations =>
            {
                var cache = new KubeStateCache();
                var live = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var (index, upsert) in operations)
                {
                    var pod = pods[index];
                    if (upsert)
                    {
                        cache.Upsert(pod);
                        live.Add(pod.Metadata.Uid);
                    }
                    else
                    {
                        cache.Delete(pod);
                        live.Remove(pod.Metadata.Uid);
                    }
                }
                var phaseUids = Family(cache, "kube_pod_status_phase").Samples.Select(s => s.Labels.Get("uid")).Distinct();
                return live.SequenceEqual(Family(cache, "kube_pod_info").Samples.Select(s => s.Labels.Get("uid")))
                    && live.SequenceEqual(phaseUids);
            });
    }

    private static string[] Lines(KubeStateCache cache) =>
        cache.Families().SelectMany(f => f.Samples.Select(s => $"{f.Name}{s.Labels} {s.Value}")).ToArray();
}
