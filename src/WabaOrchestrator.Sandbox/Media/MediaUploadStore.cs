using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Media;

/// <summary>What the sandbox remembers of an upload: metadata only, never the bytes.</summary>
internal sealed record MediaUpload(string Handle, string FileName, string FileType, long Length, DateTimeOffset UploadedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Handles issued by this sandbox, so a media template can prove its header file was uploaded here.
/// Bounded: the oldest handle is forgotten once <see cref="MediaOptions.MaxHandles"/> are held.
/// </summary>
internal sealed class MediaUploadStore(TimeProvider time, IOptions<MediaOptions> options) : IResettable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MediaUpload> _uploads = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public MediaUpload Issue(string fileName, string fileType, long length)
    {
        var now = time.GetUtcNow();
        var expiresAt = now + options.Value.HandleLifetime;
        var upload = new MediaUpload(MediaHandle.Create(fileName, fileType, expiresAt), fileName, fileType, length, now, expiresAt);
        lock (_gate)
        {
            _uploads[upload.Handle] = upload;
            _order.Enqueue(upload.Handle);
            while (_order.Count > options.Value.MaxHandles)
            {
                _uploads.Remove(_order.Dequeue());
            }
        }

        return upload;
    }

    /// <summary>The upload behind <paramref name="handle"/>, or null when it was not issued here or has expired.</summary>
    public MediaUpload? Find(string handle)
    {
        lock (_gate)
        {
            return _uploads.TryGetValue(handle, out var upload) && upload.ExpiresAt > time.GetUtcNow() ? upload : null;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _uploads.Clear();
            _order.Clear();
        }
    }
}
