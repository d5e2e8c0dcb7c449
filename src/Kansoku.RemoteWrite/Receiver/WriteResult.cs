namespace Kansoku.RemoteWrite.Receiver;

/// <summary>What a remote write request comes to: the HTTP status to answer and, when refused, why (the response body).</summary>
internal readonly record struct WriteResult(int StatusCode, string? Error, long SamplesAppended)
{
    public const int NoContent = 204;

    public static WriteResult Stored(long samples) => new(NoContent, null, samples);

    /// <summary>400: senders drop the batch instead of retrying.</summary>
    public static WriteResult BadRequest(string error) => new(400, error, 0);

    public static WriteResult TooLarge(string error) => new(413, error, 0);

    /// <summary>500: senders retry, so nothing of the request may have been kept.</summary>
    public static WriteResult StoreFailed(string error) => new(500, error, 0);
}
