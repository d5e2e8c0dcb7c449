using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Endpoints;

/// <summary>Reads an ingest body whole (gzip or deflate Content-Encoding undone), refusing it with 413 past the limit.</summary>
internal static class RequestBody
{
    /// <summary>The body, or null after a 413/400 response has been written.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large",
                $"the request body is {context.Request.ContentLength} bytes; the limit is {maxBytes}");
            return null;
        }
        Stream source = context.Request.Body;
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            source = new GZipStream(source, CompressionMode.Decompress);
        }
        else if (encoding.Equals("deflate", StringComparison.OrdinalIgnoreCase))
        {
            source = new ZLibStream(source, CompressionMode.Decompress);
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large",
                        $"the request body (decompressed) exceeds the limit of {maxBytes} bytes");
                    return null;
                }
                buffer.Write(chunk, 0, read);
            }
        }
        catch (InvalidDataException e)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "parse_exception", $"bad {encoding} body: {e.Message}");
            return null;
        }
        finally
        {
            if (!ReferenceEquals(source, context.Request.Body))
            {
                await source.DisposeAsync();
            }
        }
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
