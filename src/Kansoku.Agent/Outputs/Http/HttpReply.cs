namespace Kansoku.Agent.Outputs.Http;

/// <summary>A destination's answer: status, body (for per-item results) and Retry-After when sent.</summary>
internal sealed record HttpReply(int Status, byte[] Body, TimeSpan? RetryAfter)
{
    public bool IsSuccess => Status is >= 200 and < 300;
}
