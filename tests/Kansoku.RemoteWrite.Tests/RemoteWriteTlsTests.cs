using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Kansoku.RemoteWrite.Sender;
using Kansoku.Scrape.Config;
using Kansoku.Scrape.Http;
using Kansoku.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Kansoku.RemoteWrite.Tests;

/// <summary>
/// remote_write's tls_config against an HTTPS receiver on 127.0.0.1 whose certificates the test makes: the sender's
/// handler is built from the parsed configuration by the code scrapes use, as the server does.
/// </summary>
public sealed class RemoteWriteTlsTests : IDisposable
{
    private static readonly byte[] Batch = Requests.Compress(Requests.Series(["__name__", "up", "job", "node"], (10, 1)));

    private readonly TempDirectory _directory = new();
    private readonly Pem _server = Pem.SelfSigned("kansoku-test-receiver", "remote.example");
    private readonly Pem _client = Pem.SelfSigned("kansoku-test-sender");

    public void Dispose() => _directory.Dispose();

    private async Task<TestEndpoint> HttpsEndpointAsync(bool requireClientCertificate = false)
    {
        var serverCertificate = _server.Load();
        using var clientCertificate = _client.Load();
        var clientThumbprint = clientCertificate.Thumbprint;
        return await TestEndpoint.StartAsync(listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;
            if (requireClientCertificate)
            {
                https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                https.ClientCertificateValidation = (certificate, _, _) => certificate.Thumbprint == clientThumbprint;
            }
        }));
    }

    private async Task<SendOutcome> SendAsync(TestEndpoint endpoint, string tlsConfig)
    {
        _directory.Write("ca.pem", _server.Certificate);
        _directory.Write("client.pem", _client.Certificate);
        _directory.Write("client.key", _client.Key);
        var config = PrometheusConfigLoader.Load($"""
            remote_write:
              - url: {endpoint.Url}
                tls_config: {tlsConfig}
            """, "prometheus.yml", _directory.Path);
        var remote = Assert.Single(config.RemoteWrite);
        using var client = new RemoteWriteClient(new RemoteWriteOptions
        {
            Url = remote.Url,
            RemoteTimeout = TimeSpan.FromSeconds(10),
            CreateHttpHandler = () => ConfiguredHttpClient.CreateHandler(remote.Http),
        }, TimeProvider.System);
        return await client.SendAsync(Batch, CancellationToken.None);
    }

    [Theory]
    [InlineData("{ca_file: ca.pem}")]
    [InlineData("{ca_file: ca.pem, server_name: remote.example}")]
    [InlineData("{insecure_skip_verify: true}")]
    public async Task A_receiver_the_tls_config_trusts_gets_the_batch(string tlsConfig)
    {
        await using var endpoint = await HttpsEndpointAsync();

        var outcome = await SendAsync(endpoint, tlsConfig);

        Assert.Equal(SendOutcome.Sent, outcome);
        Assert.Equal([("{__name__=\"up\", job=\"node\"}", 10L, 1.0)], endpoint.AcceptedSamples());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{ca_file: ca.pem, server_name: other.example}")]
    public async Task A_receiver_the_tls_config_does_not_trust_gets_nothing(string tlsConfig)
    {
        await using var endpoint = await HttpsEndpointAsync();

        var outcome = await SendAsync(endpoint, tlsConfig);

        Assert.Equal(SendStatus.Recoverable, outcome.Status);
        Assert.Contains("SSL", outcome.Error, StringComparison.Ordinal);
        Assert.Empty(endpoint.Requests);
    }

    [Fact]
    public async Task A_receiver_that_requires_a_client_certificate_accepts_the_configured_one_only()
    {
        await using var endpoint = await HttpsEndpointAsync(requireClientCertificate: true);

        var without = await SendAsync(endpoint, "{ca_file: ca.pem}");
        var with = await SendAsync(endpoint, "{ca_file: ca.pem, cert_file: client.pem, key_file: client.key}");

        Assert.Equal(SendStatus.Recoverable, without.Status);
        Assert.Equal(SendOutcome.Sent, with);
        Assert.Single(endpoint.Requests);
    }

    /// <summary>A self-signed certificate for 127.0.0.1 (and the given names) that is its own CA, as PEM text.</summary>
    private sealed record Pem(string Certificate, string Key)
    {
        public static Pem SelfSigned(string subject, params string[] dnsNames)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            foreach (var name in dnsNames)
            {
                names.AddDnsName(name);
            }
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign, critical: false));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            return new Pem(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
        }

        /// <summary>Through PKCS#12, so that Kestrel's SslStream gets a certificate whose key it can use.</summary>
        public X509Certificate2 Load()
        {
            using var pem = X509Certificate2.CreateFromPem(Certificate, Key);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
    }
}
