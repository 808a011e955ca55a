using Polly;
using Polly.Timeout;

namespace WabaOrchestrator.Vonage.Resilience;

/// <summary>Runs each request through <see cref="VonageResiliencePipeline"/>; outermost handler of every Vonage client.</summary>
public sealed class VonageResilienceHandler(VonageResiliencePipeline pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(VonageResiliencePipeline.RequestKey, request);
        try
        {
            var outcome = await pipeline.Pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    try
                    {
                        return Outcome.FromResult(await state.handler.SendCoreAsync(state.request, ctx.CancellationToken));
                    }
                    catch (Exception e)
                    {
                        return Outcome.FromException<HttpResponseMessage>(e);
                    }
                },
                context,
                (handler: this, request));

            if (outcome.Exception is TimeoutRejectedException timeout)
            {
                throw new TimeoutException($"Vonage {request.Method} {request.RequestUri?.AbsolutePath} timed out after {timeout.Timeout.TotalSeconds:0.###} s.", timeout);
            }

            outcome.ThrowIfException();
            return outcome.Result!;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
