using WabaOrchestrator.Testing;
using static WabaOrchestrator.Api.Tests.Proxies.ProxyAssert;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>Alone, so no other test's allocations land in the measurement.</summary>
[CollectionDefinition(nameof(UploadStreamingTests), DisableParallelization = true)]
public sealed class UploadStreamingCollection;

[Collection(nameof(UploadStreamingTests))]
public sealed class UploadStreamingTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const long FiftyMegabytes = 50L * 1024 * 1024;
    private const long Budget = 20L * 1024 * 1024;

    [Fact]
    public async Task Upload_50MB_IsStreamedToVonageWithoutBufferingIt()
    {
        await using var sink = await UploadSink.StartAsync();
        await using var host = await ProxyStack.StartAsync(new Dictionary<string, string?>
        {
            ["Vonage:BaseUrl"] = sink.Address.AbsoluteUri,
            ["Proxies:MaxUploadBytes"] = (64L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // Warm up every path (JIT, connection pools, token) so the measurement sees only the bytes flowing.
        await UploadAsync(host, 64 * 1024);

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var uploaded = await UploadAsync(host, FiftyMegabytes);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;

        output.WriteLine($"50 MB upload: {allocated / (1024 * 1024.0):F2} MB allocated in the process.");
        Assert.Equal($"sink:{FiftyMegabytes}", uploaded);
        Assert.Equal(FiftyMegabytes, sink.LastFileBytes);
        // Everything allocated in the process while 50 MB went client → API → "Vonage" (all three are in this
        // process): a buffered copy anywhere would be 50 MB on its own.
        Assert.True(allocated < Budget, $"The upload allocated {allocated / (1024 * 1024.0):F1} MB; the budget is {Budget / (1024 * 1024)} MB.");
    }

    private static async Task<string?> UploadAsync(StackHost host, long length)
    {
        using var file = new StreamContent(new MediaUploads.Generated(MediaUploads.Png, length), 64 * 1024);
        using var form = MediaUploads.Form(file, "image/png");
        using var response = await host.Client.PostAsync("api/media/uploads?file_type=image/png", form);
        return (await JsonAsync(response)).GetProperty("h").GetString();
    }
}
