using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace WabaOrchestrator.Scenarios.Tests.Engines;

/// <summary>
/// Every message through the sidecar's gRPC service, as text: starts, events, work items with their history, the
/// worker's actions, activity results, custom status. The in-memory backend cannot hand out an instance's history, so
/// the leak check reads what reached it instead (a superset of the history).
/// </summary>
internal sealed class SidecarTraffic : Interceptor
{
    private readonly ConcurrentQueue<string> _messages = new();

    public string Text => string.Join('\n', _messages);

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        _messages.Enqueue($"{context.Method} request {request}");
        var response = await continuation(request, context);
        _messages.Enqueue($"{context.Method} response {response}");
        return response;
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        _messages.Enqueue($"{context.Method} request {request}");
        return continuation(request, new RecordingWriter<TResponse>(responseStream, context.Method, _messages), context);
    }

    private sealed class RecordingWriter<T>(IServerStreamWriter<T> inner, string method, ConcurrentQueue<string> messages) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            messages.Enqueue($"{method} item {message}");
            return inner.WriteAsync(message);
        }
    }
}
