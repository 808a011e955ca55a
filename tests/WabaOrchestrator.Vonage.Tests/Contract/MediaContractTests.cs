using WabaOrchestrator.Vonage.Errors;
using WabaOrchestrator.Vonage.Media;
using WabaOrchestrator.Vonage.Tests.Infrastructure;

namespace WabaOrchestrator.Vonage.Tests.Contract;

public sealed class MediaContractTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Uploads = "/v2/whatsapp-manager/media/uploads";

    private static byte[] Jpeg(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        bytes[0] = 0xFF;
        bytes[1] = 0xD8;
        bytes[2] = 0xFF;
        return bytes;
    }

    [Fact]
    public async Task Upload_StreamsAMultipartMediafile_WithTheFileTypeQuery_AndReturnsTheHandle()
    {
        await using var file = new ForwardOnlyStream(Jpeg(3 * 1024 * 1024));

        var result = await sandbox.Media.UploadAsync(file, MediaFileType.ImageJpeg, "photo.jpg");

        Assert.False(string.IsNullOrEmpty(result.Handle));
        var sent = sandbox.Log.Last;
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(Uploads, sent.Uri.AbsolutePath);
        Assert.Equal("?file_type=image%2Fjpeg", sent.Uri.Query);
        Assert.Equal("multipart/form-data", sent.ContentType);
        Assert.True(file.BytesRead >= 3 * 1024 * 1024);
        Assert.Equal(1, await sandbox.CountAsync($"POST {Uploads}", 200));
    }

    [Fact]
    public async Task Upload_OfContentNotMatchingTheType_ThrowsUnprocessable_NamingMediafile()
    {
        await using var notAPng = new MemoryStream("plain text, not an image"u8.ToArray());

        var error = await Assert.ThrowsAsync<VonageApiException>(() => sandbox.Media.UploadAsync(notAPng, MediaFileType.ImagePng, "fake.png"));

        Assert.True(error.IsUnprocessable);
        Assert.Contains(error.InvalidParameters, p => p.Name == "mediafile");
    }

    /// <summary>A stream that cannot seek or report its length: the upload must stream it, not buffer or rewind it.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : Stream
    {
        private int _position;

        public long BytesRead => _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
