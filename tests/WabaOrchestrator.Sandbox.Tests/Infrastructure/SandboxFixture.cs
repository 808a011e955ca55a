using System.Net.Http.Headers;

namespace WabaOrchestrator.Sandbox.Tests.Infrastructure;

/// <summary>
/// A sandbox on a real loopback socket, with one registered application and an
/// <see cref="HttpClient"/> that sends its token. Fast timings so state machines move in milliseconds.
/// Tests that need other settings start their own <see cref="SandboxHost"/>.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    public TestApplication Application { get; } = new();

    public SandboxHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public static Task<SandboxHost> StartAsync(TestApplication application, Action<SandboxOptions>? configure = null) =>
        SandboxHost.StartAsync(options =>
        {
            options.StepDelay = TimeSpan.FromMilliseconds(20);
            options.TemplateReviewDelay = TimeSpan.FromMilliseconds(50);
            options.Applications.Add(new SandboxApplication { ApplicationId = application.ApplicationId, PublicKey = application.PublicKeyPem });
            configure?.Invoke(options);
        });

    /// <summary>Settings a derived fixture changes for all its tests.</summary>
    protected virtual void Configure(SandboxOptions options)
    {
    }

    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = Host.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Application.MintToken(lifetime: TimeSpan.FromHours(1)));
        return client;
    }

    public async Task InitializeAsync()
    {
        Host = await StartAsync(Application, Configure);
        Client = CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        Application.Dispose();
    }
}
