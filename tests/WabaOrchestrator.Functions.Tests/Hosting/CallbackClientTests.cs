using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Onboarding.Activities;
using WabaOrchestrator.Onboarding.Callbacks;

namespace WabaOrchestrator.Functions.Tests.Hosting;

/// <summary>The Functions host gets the guarded status-callback client from the shared onboarding registration.</summary>
public sealed class CallbackClientTests
{
    [Theory]
    [InlineData("http://127.0.0.1:9/hooks")]
    [InlineData("http://169.254.169.254/metadata/instance")]
    [InlineData("http://[::ffff:127.0.0.1]:9/hooks")]
    public async Task CallbackClient_ToAnInternalAddress_RefusedBeforeConnecting(string url)
    {
        using var provider = FunctionsTestServices.Provider();
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(NotifyCallbackActivity.HttpClientName);

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(url), null));

        // Unguarded, 127.0.0.1:9 would fail with a SocketException (connection refused) and the metadata address would time out.
        Assert.IsType<CallbackRefusedException>(failure.InnerException);
    }
}
