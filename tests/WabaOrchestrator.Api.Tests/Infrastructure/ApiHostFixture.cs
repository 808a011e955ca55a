using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Infrastructure;

/// <summary>One stack per test class; each test uses its own numbers so tests never see each other's onboardings.</summary>
public sealed class ApiHostFixture : IAsyncLifetime
{
    private static int _next;

    public StackHost Host { get; private set; } = null!;

    public HttpClient Client => Host.Client;

    /// <summary>A number no other test in this process uses.</summary>
    public static string NewNumber() => "77009" + Interlocked.Increment(ref _next).ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync() => Host = await ApiHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
