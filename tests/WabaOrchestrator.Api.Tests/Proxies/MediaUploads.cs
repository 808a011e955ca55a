using System.Net.Http.Headers;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>Multipart bodies for the upload tests: real file signatures, or a generated stream of any length.</summary>
public static class MediaUploads
{
    public static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    public static MultipartFormDataContent Form(byte[] file, string contentType = "image/png", string partName = "mediafile", string fileName = "logo.png") =>
        Form(new ByteArrayContent(file), contentType, partName, fileName);

    public static MultipartFormDataContent Form(HttpContent file, string contentType, string partName = "mediafile", string fileName = "logo.png")
    {
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, partName, fileName } };
    }

    /// <summary>A forward-only stream of <paramref name="length"/> bytes starting with <paramref name="head"/>, never held in memory.</summary>
    public sealed class Generated(byte[] head, long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            for (var i = 0; i < n; i++)
            {
                var at = _position + i;
                buffer[i] = at < head.Length ? head[at] : (byte)(at % 251);
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
