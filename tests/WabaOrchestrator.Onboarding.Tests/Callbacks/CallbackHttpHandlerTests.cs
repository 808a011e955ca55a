using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Onboarding.Tests.Callbacks;

/// <summary>
/// The callback client's connect-time check against a real receiver on 127.0.0.1: a host name is judged by what it
/// resolves to when the connection is made, so DNS rebinding cannot get round it.
/// </summary>
public sealed class CallbackHttpHandlerTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _requests = new();
    private LoopbackReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync(http =>
    {
        _requests.Enqueue(http.Request.Path.Value!);
        if (http.Request.Path == "/hooks")
        {
            http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            http.Response.Headers.Location = "/internal/admin";
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status204NoContent;
        }

        return Task.CompletedTask;
    });

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Connect_APublicLookingNameThatResolvesToLoopback_RefusedWithoutARequest()
    {
        using var client = Client(allowPrivate: false, Resolving("callbacks.example.com", IPAddress.Loopback));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(Url("callbacks.example.com", "ok"), null));

        var refused = Assert.IsType<CallbackRefusedException>(failure.InnerException);
        Assert.Contains("127.0.0.1 (loopback)", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task Connect_Localhost_RefusedByTheRealResolver()
    {
        using var client = new HttpClient(CallbackHttpHandler.Create(new CallbackOptions { AllowHttp = true }));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(Url("localhost", "ok"), null));

        Assert.IsType<CallbackRefusedException>(failure.InnerException);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task Connect_ALoopbackLiteral_RefusedEvenIfItGotPastTheStartCheck()
    {
        using var client = new HttpClient(CallbackHttpHandler.Create(new CallbackOptions { AllowHttp = true }));

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(_receiver.BaseAddress, "ok"), null));

        Assert.IsType<CallbackRefusedException>(failure.InnerException);
        Assert.Empty(_requests);
    }

    [Fact]
    public async Task Connect_ANameResolvingToMetadataAndLoopback_ConnectsOnlyToTheAllowedAddress()
    {
        // With private addresses allowed the metadata address is still dropped: were it tried first, this would hang or fail.
        using var client = Client(allowPrivate: true, Resolving("callbacks.example.com", IPAddress.Parse("169.254.169.254"), IPAddress.Parse("::ffff:169.254.169.254"), IPAddress.Loopback));

        using var response = await client.PostAsync(Url("callbacks.example.com", "ok"), null);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(["/ok"], _requests);
    }

    [Fact]
    public async Task Send_ARedirect_IsReturnedNotFollowed()
    {
        using var client = Client(allowPrivate: true, Resolving("callbacks.example.com", IPAddress.Loopback));

        using var response = await client.PostAsync(Url("callbacks.example.com", "hooks"), null);

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal(["/hooks"], _requests);
    }

    private static HttpClient Client(bool allowPrivate, CallbackHostResolver resolve) =>
        new(CallbackHttpHandler.Create(new CallbackOptions { AllowHttp = true, AllowPrivateAddresses = allowPrivate }, resolve));

    // Stands in for DNS only: the name answers what a rebinding attacker's server would.
    private static CallbackHostResolver Resolving(string name, params IPAddress[] addresses) => (host, _) =>
        Task.FromResult(host == name ? addresses : throw new InvalidOperationException($"Unexpected lookup of {host}."));

    private Uri Url(string host, string path) => new($"http://{host}:{_receiver.BaseAddress.Port}/{path}");
}
