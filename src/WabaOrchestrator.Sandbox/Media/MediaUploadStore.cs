using Microsoft.Extensions.Options;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;

namespace WabaOrchestrator.Sandbox.Media;

/// <summary>What the sandbox remembers of an upload: metadata only, never the bytes.</summary>
internal sealed record MediaUpload(string Handle, string FileName, string FileType, long Length, DateTimeOffset UploadedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// Handles issued by this sandbox, so a media template can prove its header file was uploaded here.
/// Bounded: the oldest handle is forgotten once <see cref="MediaOptions.MaxHandles"/> are held.
/// Kept in the data directory when there is one (expired handles are not loaded back).
/// </summary>
internal sealed class MediaUploadStore : IResettable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, MediaUpload> _uploads = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly TimeProvider _time;
    private readonly IOptions<MediaOptions> _options;
    private readonly ISandboxState _state;

    public MediaUploadStore(TimeProvider time, IOptions<MediaOptions> options, ISandboxState state)
    {
        _time = time;
        _options = options;
        _state = state;
        var now = time.GetUtcNow();
        foreach (var (_, upload) in state.Load<MediaUpload>(StateKinds.Media).OrderBy(u => u.Value.UploadedAt))
        {
            if (upload.ExpiresAt > now)
            {
                _uploads[upload.Handle] = upload;
                _order.Enqueue(upload.Handle);
            }
        }
    }

    public MediaUpload Issue(string fileName, string fileType, long length)
    {
        var now = _time.GetUtcNow();
        var expiresAt = now + _options.Value.HandleLifetime;
        var upload = new MediaUpload(MediaHandle.Create(fileName, fileType, expiresAt), fileName, fileType, length, now, expiresAt);
        lock (_gate)
        {
            _uploads[upload.Handle] = upload;
            _order.Enqueue(upload.Handle);
            List<StateWrite>? writes = _state.IsDurable ? [StateWrite.Put(StateKinds.Media, upload.Handle, upload)] : null;
            while (_order.Count > _options.Value.MaxHandles)
            {
                var forgotten = _order.Dequeue();
                _uploads.Remove(forgotten);
                writes?.Add(StateWrite.Remove(StateKinds.Media, forgotten));
            }

            if (writes is not null)
            {
                _state.Write([.. writes]);
            }
        }

        return upload;
    }

    /// <summary>The upload behind <paramref name="handle"/>, or null when it was not issued here or has expired.</summary>
    public MediaUpload? Find(string handle)
    {
        lock (_gate)
        {
            return _uploads.TryGetValue(handle, out var upload) && upload.ExpiresAt > _time.GetUtcNow() ? upload : null;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _uploads.Clear();
            _order.Clear();
            _state.Clear(StateKinds.Media);
        }
    }
}
