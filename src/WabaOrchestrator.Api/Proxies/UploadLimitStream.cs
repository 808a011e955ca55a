namespace WabaOrchestrator.Api.Proxies;

/// <summary>
/// A forward-only view of the caller's file part that stops at the size limit: chunked uploads carry no length to
/// check up front, so the count is kept as the bytes flow to Vonage, and the upload is cut the moment it is exceeded.
/// Read failures of the caller's body (a cut-off or malformed multipart) are the caller's, not Vonage's.
/// </summary>
internal sealed class UploadLimitStream(Stream inner, long limit) : Stream
{
    private long _read;

    public long BytesRead => _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (Exception e) when (IsCallerBodyFailure(e))
        {
            throw MediaProxies.Malformed(e);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken));
        }
        catch (Exception e) when (IsCallerBodyFailure(e))
        {
            throw MediaProxies.Malformed(e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    // Kestrel's own limit (BadHttpRequestException) and ours are answered as they are, not as "malformed".
    private static bool IsCallerBodyFailure(Exception e) =>
        e is IOException or InvalidDataException && e is not (ProxyBodyException or Microsoft.AspNetCore.Http.BadHttpRequestException);

    private int Count(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new ProxyBodyException(MediaProxies.TooLarge(limit), $"The upload exceeded {limit} bytes.");
        }

        return read;
    }
}
