namespace Kansoku.Testing.Kubernetes;

/// <summary>A kubeconfig file whose current context is an API server URL with a static token, as `kubectl config` writes one.</summary>
public static class Kubeconfig
{
    public static string Write(string directory, string serverUrl, string token)
    {
        var file = Path.Combine(directory, "kubeconfig");
        File.WriteAllText(file, $$"""
            apiVersion: v1
            kind: Config
            clusters: [{ name: test, cluster: { server: "{{serverUrl}}" } }]
            users: [{ name: test, user: { token: {{token}} } }]
            contexts: [{ name: test, context: { cluster: test, user: test } }]
            current-context: test
            """);
        return file;
    }
}
