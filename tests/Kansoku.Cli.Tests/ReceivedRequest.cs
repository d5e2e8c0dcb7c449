namespace Kansoku.Cli.Tests;

/// <summary>A request as <see cref="FakeHttpServer"/> received it.</summary>
internal sealed record ReceivedRequest(int Index, string Method, string Path, string? ContentType, string? ContentEncoding, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
