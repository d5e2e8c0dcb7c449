using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Kansoku.Cli.Tests.Metrics;

/// <summary>
/// A scrape target on 127.0.0.1, plain HTTP or HTTPS with a self-signed certificate (as a kubelet serves), answering
/// every GET with the text exposition <c>body</c> gives for its path, and recording each request's path and
/// Authorization header. One request per connection, as a minimal HTTP/1.1 server may.
/// </summary>
internal sealed class MetricsTarget : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2? _certificate;
    private readonly Func<string, string?> _body;
    private readonly List<(string Path, string? Authorization)> _requests = [];
    private readonly CancellationTokenSource _stop = new();

    public MetricsTarget(bool tls, Func<string, string?> body)
    {
        _body = body;
        if (tls)
        {
            using var key = RSA.Create(2048);
            var request = new CertificateRequest("CN=kubelet", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        }
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<(string Path, string? Authorization)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                Stream stream = client.GetStream();
                if (_certificate is not null)
                {
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(_certificate);
                    stream = ssl;
                }
                await using (stream)
                {
                    using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                    var requestLine = await reader.ReadLineAsync() ?? "";
                    string? authorization = null;
                    while (await reader.ReadLineAsync() is { Length: > 0 } header)
                    {
                        if (header.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
                        {
                            authorization = header["Authorization:".Length..].Trim();
                        }
                    }
                    var path = requestLine.Split(' ') is [_, var target, ..] ? target : "";
                    lock (_requests)
                    {
                        _requests.Add((path, authorization));
                    }
                    var body = _body(path);
                    var bytes = Encoding.UTF8.GetBytes(body ?? "not found\n");
                    var head = $"HTTP/1.1 {(body is null ? "404 Not Found" : "200 OK")}\r\nContent-Type: text/plain; version=0.0.4\r\n" +
                        $"Content-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                    await stream.WriteAsync(bytes);
                }
            }
            catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // A client that gave up mid-request; the test sees it in what it did not get.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _certificate?.Dispose();
        _stop.Dispose();
    }
}
