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
            // Not context.RequestAborted: the lines are views of request buffers that go back to the pool when the handler
            // returns, and a cancelled wait could return while the store still reads them (LogStorage stops only its
            // wait; the write goes on), so the handler waits for the store whatever the client does.
            await appender.AppendAsync(streams, CancellationToken.None);
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
