using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WabaOrchestrator.Sandbox.Control;

namespace WabaOrchestrator.Local.Tests.Hardening;

/// <summary>
/// The embedded sandbox's control endpoints (codes sent, applications, reset, faults) answer callers on this machine,
/// or with the host's API key; the host answers only the names it listens on.
/// </summary>
public sealed class SandboxControlAccessTests
{
    [Fact]
    public async Task ControlEndpoints_FromAnotherAddress_Are403WithoutTheKey_And200WithIt()
    {
        var address = NonLoopbackAddress();
        await using var host = await TempLocalHost.StartAsync("--urls=http://0.0.0.0:0");
        var port = new Uri(host.App.Urls.First()).Port;
        var key = await host.ApiKeyAsync();
        using var remote = new HttpClient { BaseAddress = new Uri($"http://{address}:{port}/") };

        using (var codes = await remote.GetAsync("sandbox/_sandbox/deployments"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, codes.StatusCode);
        }

        using (var reset = await remote.PostAsync("sandbox/_sandbox/reset", null))
        {
            Assert.Equal(HttpStatusCode.Forbidden, reset.StatusCode);
        }

        using (var wrongKey = new HttpRequestMessage(HttpMethod.Get, "sandbox/_sandbox/applications") { Headers = { { "x-functions-key", "wrong-key-0123456789" } } })
        using (var refused = await remote.SendAsync(wrongKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using (var withKey = new HttpRequestMessage(HttpMethod.Get, "sandbox/_sandbox/applications") { Headers = { { "x-functions-key", key } } })
        using (var allowed = await remote.SendAsync(withKey))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var local = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        using var fromLoopback = await local.GetAsync("sandbox/_sandbox/applications");
        Assert.Equal(HttpStatusCode.OK, fromLoopback.StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", false, true)]
    [InlineData("::1", false, true)]
    [InlineData("::ffff:127.0.0.1", false, true)]
    [InlineData("192.0.2.10", false, false)]
    [InlineData("2001:db8::10", false, false)]
    [InlineData("192.0.2.10", true, true)]
    public void TheFilter_AdmitsLoopback_OrWhomTheHostAuthorizes(string remote, bool hostAdmits, bool allowed)
    {
        using var services = new ServiceCollection().AddSingleton<ISandboxControlAuthorizer>(new Fixed(hostAdmits)).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(allowed, ControlAccess.IsAllowed(context));
    }

    [Fact]
    public async Task AHostHeaderNotInAllowedHosts_Is400_AndTheNamesItListensOnAreServed()
    {
        await using var host = await TempLocalHost.StartAsync();
        using var client = await host.CreateClientAsync();
        var port = host.BaseAddress.Port;

        foreach (var (name, expected) in new[] { ("evil.example", HttpStatusCode.BadRequest), ("localhost", HttpStatusCode.OK), ("127.0.0.1", HttpStatusCode.OK), ("[::1]", HttpStatusCode.OK) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "healthz") { Headers = { Host = $"{name}:{port}" } };
            using var response = await client.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"Host {name}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task AllowedHosts_CanBeOverridden()
    {
        await using var host = await TempLocalHost.StartAsync("--AllowedHosts=waba.example");
        using var client = await host.CreateClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "healthz") { Headers = { Host = "waba.example" } };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>An address of this machine that is not loopback: a connection to it arrives from it, not from 127.0.0.1.</summary>
    private static IPAddress NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(a => a.Address))
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
        ?? throw new InvalidOperationException("This test needs a non-loopback IPv4 interface to call the host from another address.");

    private sealed class Fixed(bool admits) : ISandboxControlAuthorizer
    {
        public bool IsAuthorized(HttpContext context) => admits;
    }
}
