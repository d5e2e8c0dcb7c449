using System.Net.Http.Headers;
using k8s.Authentication;

namespace Kansoku.Kubernetes;

/// <summary>
/// Reads the service-account token from its file, again every minute: projected tokens rotate (hourly by default),
/// and a token read once at startup stops working.
/// </summary>
internal sealed class TokenFileProvider : ITokenProvider
{
    private static readonly TimeSpan s_reloadInterval = TimeSpan.FromMinutes(1);

    private readonly string _path;
    private readonly Lock _lock = new();
    private string _token = "";
    private DateTime _loadedAt = DateTime.MinValue;

    public TokenFileProvider(string path)
    {
        _path = path;
    }

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        string token;
        lock (_lock)
        {
            token = DateTime.UtcNow - _loadedAt < s_reloadInterval ? _token : "";
        }
        if (token.Length == 0)
        {
            token = (await File.ReadAllTextAsync(_path, cancellationToken)).Trim();
            lock (_lock)
            {
                _token = token;
                _loadedAt = DateTime.UtcNow;
            }
        }
        return new AuthenticationHeaderValue("Bearer", token);
    }
}
