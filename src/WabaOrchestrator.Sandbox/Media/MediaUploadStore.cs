using WabaOrchestrator.Sandbox.Infrastructure;

namespace WabaOrchestrator.Sandbox.Media;

/// <summary>What the sandbox remembers of an upload: metadata only, never the bytes.</summary>
internal sealed record MediaUpload(string Handle, string FileName, string FileType, long Length, DateTimeOffset UploadedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Handles issued by this sandbox, so a media template can prove its header file was uploaded here.
/// Bounded: the oldest handle is forgotten once <see cref="MaxHandles"/> are held.
/// </summary>
internal sealed class MediaUploadStore(TimeProvider time) : IResettable
{
    public const int MaxHandles = 10_000;

    /// <summary>How long a handle can be used in a template, written into the handle as <c>e:&lt;unix expiry&gt;</c>.</summary>
    public static readonly TimeSpan HandleLifetime = TimeSpan.FromDays(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, MediaUpload> _uploads = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public MediaUpload Issue(string fileName, string fileType, long length)
    {
        var now = time.GetUtcNow();
        var expiresAt = now + HandleLifetime;
        var upload = new MediaUpload(MediaHandle.Create(fileName, fileType, expiresAt), fileName, fileType, length, now, expiresAt);
        lock (_gate)
        {
            _uploads[upload.Handle] = upload;
            _order.Enqueue(upload.Handle);
            while (_order.Count > MaxHandles)
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
