using Kansoku.Storage.Logs;
using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Endpoints;

/// <summary>Ingest's write to the store, with the store's refusals turned into the answers clients retry on (429) or not (400).</summary>
internal static class StoreWrites
{
    /// <summary>True once the streams are durable; false after an error response has been written.</summary>
    public static async Task<bool> AppendAsync(HttpContext context, ILogAppender appender, IReadOnlyList<LogStreamBatch> streams,
        string overloadedType, string badRequestType)
    {
        try
        {
            await appender.AppendAsync(streams, context.RequestAborted);
            return true;
        }
        catch (LogStoreOverloadedException e)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status429TooManyRequests, overloadedType, e.Message, e.RetryAfter);
        }
        catch (ArgumentException e)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, badRequestType, e.Message);
        }
        return false;
    }
}
