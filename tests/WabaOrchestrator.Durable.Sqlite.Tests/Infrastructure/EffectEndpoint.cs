using System.Net;
using System.Net.Sockets;

namespace WabaOrchestrator.Durable.Sqlite.Tests.Infrastructure;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 that counts the side effects activities perform on it (each POST body is one
/// effect) and, while held, keeps every request open until <see cref="Release"/>, so a test can act while activities
/// are provably mid-way.
/// </summary>
public sealed class EffectEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<string> _effects = [];
    private readonly Task _serving;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EffectEndpoint()
    {
        Url = new Uri($"http://127.0.0.1:{FreePort()}/effects/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Every effect received so far, held ones included, in arrival order.</summary>
    public IReadOnlyList<string> Effects
    {
        get
        {
            lock (_gate)
            {
                return [.. _effects];
            }
        }
    }

    /// <summary>From now on requests wait for <see cref="Release"/> before they are answered.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            if (_release.Task.IsCompleted)
            {
                _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Answers every held request, and the ones after it at once.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _release.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Release();
        _listener.Stop();
        _listener.Close();
        await _serving;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        using var reader = new StreamReader(context.Request.InputStream);
        var effect = await reader.ReadToEndAsync();
        Task release;
        lock (_gate)
        {
            _effects.Add(effect);
            release = _release.Task;
        }

        await release;
        try
        {
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // The caller went away (a process that was stopped): its effect is counted all the same.
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
