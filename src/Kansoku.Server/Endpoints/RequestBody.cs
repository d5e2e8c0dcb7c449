using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Kansoku.Server.Endpoints;

/// <summary>
/// An ingest body read whole (gzip or deflate Content-Encoding undone) into an array rented from the shared pool, refused
/// with 413 past the limit. Dispose returns the array, so whatever was decoded from <see cref="Memory"/> is invalid after
/// that: dispose once the append that uses it has completed.
/// </summary>
internal sealed class RequestBody : IDisposable
{
    /// <summary>The first buffer when the length is not known beforehand; it doubles as the body comes in.</summary>
    private const int UnknownLengthCapacity = 16 * 1024;

    /// <summary>A compressed body's Content-Length times this is the first guess at its decompressed size.</summary>
    private const int CompressionRatioGuess = 4;

    private byte[] _buffer;
    private int _length;

    private RequestBody(int capacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _length = 0;
        }
    }

    /// <summary>The body, or null after a 413/400 response has been written.</summary>
    public static async Task<RequestBody?> ReadAsync(HttpContext context, long maxBytes)
    {
        var contentLength = context.Request.ContentLength;
        if (contentLength > maxBytes)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large",
                $"the request body is {contentLength} bytes; the limit is {maxBytes}");
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
        var compressed = !ReferenceEquals(source, context.Request.Body);
        // One byte over the limit is room enough to see that a body exceeds it.
        var capacityLimit = (int)Math.Min(maxBytes + 1, Array.MaxLength);
        var body = new RequestBody((int)Math.Min(contentLength switch
        {
            null => UnknownLengthCapacity,
            { } length when compressed => Math.Max(length * CompressionRatioGuess, UnknownLengthCapacity),
            { } length => length,
        }, capacityLimit));
        try
        {
            while (compressed || contentLength is null || body._length < contentLength)
            {
                if (body._length == body._buffer.Length)
                {
                    body.Grow(capacityLimit);
                }
                var read = await source.ReadAsync(body._buffer.AsMemory(body._length), context.RequestAborted);
                if (read == 0)
                {
                    break;
                }
                body._length += read;
                if (body._length > maxBytes)
                {
                    body.Dispose();
                    await ErrorResponses.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "request_too_large",
                        $"the request body (decompressed) exceeds the limit of {maxBytes} bytes");
                    return null;
                }
            }
            return body;
        }
        catch (InvalidDataException e)
        {
            body.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "parse_exception", $"bad {encoding} body: {e.Message}");
            return null;
        }
        catch
        {
            body.Dispose();
            throw;
        }
        finally
        {
            if (compressed)
            {
                await source.DisposeAsync();
            }
        }
    }

    private void Grow(int capacityLimit)
    {
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(_buffer.Length * 2L, capacityLimit));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
