namespace Kansoku.Scrape.Config;

/// <summary>
/// How to reach an HTTP endpoint (Prometheus common/config HTTPClientConfig): credentials, TLS, redirects.
/// File paths are already resolved against the configuration file's folder.
/// </summary>
internal sealed record HttpClientConfig
{
    public static HttpClientConfig Default { get; } = new();

    public BasicAuthConfig? BasicAuth { get; init; }
    /// <summary>Also what <c>bearer_token</c> and <c>bearer_token_file</c> become, with type Bearer.</summary>
    public AuthorizationConfig? Authorization { get; init; }
    public TlsConfig Tls { get; init; } = new();
    public bool FollowRedirects { get; init; } = true;
    public bool EnableHttp2 { get; init; } = true;
    public string? ProxyUrl { get; init; }

    /// <summary>True when anything differs from the defaults (Kubernetes SD then needs an explicit api_server).</summary>
    public bool IsCustom => this != Default;
}

internal sealed record BasicAuthConfig(string Username, string? Password, string? PasswordFile)
{
    /// <summary>The password, read from its file at each call when it is kept in one (so a rotated secret is seen).</summary>
    public string ReadPassword() => Password ?? (PasswordFile is null ? "" : File.ReadAllText(PasswordFile).TrimEnd('\r', '\n'));
}

internal sealed record AuthorizationConfig(string Type, string? Credentials, string? CredentialsFile)
{
    /// <summary>The credentials, read from their file at each call when kept in one; null when neither is given.</summary>
    public string? ReadCredentials() => Credentials ?? (CredentialsFile is null ? null : File.ReadAllText(CredentialsFile).Trim());
}

internal sealed record TlsConfig
{
    public string? CaFile { get; init; }
    public string? Ca { get; init; }
    public string? CertFile { get; init; }
    public string? Cert { get; init; }
    public string? KeyFile { get; init; }
    public string? Key { get; init; }
    public string? ServerName { get; init; }
    public bool InsecureSkipVerify { get; init; }
    /// <summary>TLS10, TLS11, TLS12 or TLS13 as Prometheus spells them; null: the platform's default.</summary>
    public string? MinVersion { get; init; }
    public string? MaxVersion { get; init; }
}
