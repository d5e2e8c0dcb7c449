namespace Kansoku.Cli.Tests;

/// <summary>What <see cref="FakeHttpServer"/> answers: a status, a JSON body and optionally Retry-After.</summary>
internal sealed record FakeReply(int Status, string Body = "{}", int? RetryAfterSeconds = null);
