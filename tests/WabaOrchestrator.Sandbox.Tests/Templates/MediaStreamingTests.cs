using System.Net;
using System.Net.Http.Headers;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests.Templates;

/// <summary>The upload is streamed: an oversized body is refused once the limit is passed, not read to its end.</summary>
public sealed class MediaStreamingTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task Upload_OfAHugeStreamedVideo_Is413BeforeTheBodyIsSentInFull()
    {
        const long size = 256L * 1024 * 1024;
        var source = new SyntheticVideoStream(size);
        using var form = new MultipartFormDataContent();
        var file = new StreamContent(source, 64 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
        form.Add(file, "mediafile", "huge.mp4");

        HttpResponseMessage? response = null;
        try
        {
            response = await fixture.Client.PostAsync("v2/whatsapp-manager/media/uploads?file_type=video/mp4", form);
            await TemplateApi.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "1020", "mediafile");
        }
        catch (HttpRequestException)
        {
            // The server may close the connection after answering; either way it stopped reading.
        }
        finally
        {
            response?.Dispose();
        }

        Assert.True(source.Produced < size / 2, $"the client had to produce {source.Produced} of {size} bytes");
    }

    /// <summary>An MP4-looking stream of any length that is generated on the fly, never held in memory.</summary>
    private sealed class SyntheticVideoStream(long length) : Stream
    {
        private static readonly byte[] Head = MediaSamples.Mp4(16);

        public long Produced { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => Produced;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - Produced);
            for (var i = 0; i < n; i++)
            {
                var position = Produced + i;
                buffer[offset + i] = position < Head.Length ? Head[position] : (byte)position;
            }

            Produced += n;
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
