using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Sandbox.Tests.Infrastructure;

namespace WabaOrchestrator.Sandbox.Tests;

/// <summary>
/// A real receiver on loopback checks each delivery independently of the sandbox's code: HS256 with the
/// shared secret, and payload_hash against the exact bytes received.
/// </summary>
public sealed class InboundSmsWebhookTests : IAsyncLifetime
{
    // Shorter than 256 bits on purpose: Vonage secrets can be, and the signer must cope.
    private const string Secret = "sandbox-signature-secret";

    private static readonly TestApplication SharedApplication = new();
    private readonly ConcurrentQueue<Delivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, int> _attemptsByMessage = new();
    private WebApplication _receiver = null!;
    private SandboxHost _host = null!;
    private HttpClient _client = null!;

    /// <summary>How many times the receiver answers 500 to each new message before accepting it.</summary>
    private int _failuresPerMessage;

    private sealed record Delivery(string Authorization, byte[] Body, JsonElement Json, bool Accepted);

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        _receiver = builder.Build();
        _receiver.MapPost("/inbound-sms", async (HttpRequest request) =>
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var json = JsonDocument.Parse(body).RootElement.Clone();
            var attempt = _attemptsByMessage.AddOrUpdate(json.GetProperty("messageId").GetString()!, 1, (_, n) => n + 1);
            var accepted = attempt > _failuresPerMessage;
            _deliveries.Enqueue(new Delivery(request.Headers.Authorization.ToString(), body, json, accepted));
            return accepted ? Results.Ok() : Results.StatusCode(500);
        });
        await _receiver.StartAsync();
        var receiverAddress = _receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _host = await SandboxFixture.StartAsync(SharedApplication, o =>
        {
            o.ResendCooldown = TimeSpan.Zero;
            o.InboundSms.WebhookUrl = new Uri(receiverAddress + "/inbound-sms");
            o.InboundSms.SignatureSecret = Secret;
            o.InboundSms.ApiKey = "abcd1234";
            o.InboundSms.RetryDelay = TimeSpan.FromMilliseconds(5);
        });
        _client = new HttpClient { BaseAddress = _host.BaseAddress };
        _client.DefaultRequestHeaders.Authorization = new("Bearer", SharedApplication.MintToken(lifetime: TimeSpan.FromHours(1)));
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
    }

    private Delivery[] AcceptedTo(string to) =>
        [.. _deliveries.Where(d => d.Accepted && d.Json.GetProperty("to").GetString() == to)];

    private async Task<Delivery> WaitForCodeAsync(string to, string code)
    {
        Delivery? found = null;
        await Eventually.TrueAsync(
            () => Task.FromResult((found = AcceptedTo(to).FirstOrDefault(d => CodeIn(d) == code)) is not null),
            $"code {code} to reach the webhook for {to}");
        return found!;
    }

    private static string CodeIn(Delivery delivery) =>
        delivery.Json.GetProperty("text").GetString()!.Split(' ', '\n').First(word => word.Length == 7 && word[3] == '-').Replace("-", "", StringComparison.Ordinal);

    [Fact]
    public async Task SmsCode_IsPostedSignedWithHs256AndTheBodyHash()
    {
        var number = SandboxApi.UniqueNumber();
        var id = await _client.ProvisionAsync(number);
        await _client.WaitForStateAsync(id, "CODE_SENT");
        var code = await _client.OtpAsync(id);

        var delivery = await WaitForCodeAsync("44" + number, code);

        Assert.StartsWith("Bearer ", delivery.Authorization, StringComparison.Ordinal);
        var parts = delivery.Authorization["Bearer ".Length..].Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        Assert.Equal("HS256", header.GetProperty("alg").GetString());
        var expectedSignature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        Assert.True(CryptographicOperations.FixedTimeEquals(expectedSignature, Base64Url.DecodeFromChars(parts[2])), "HS256 signature does not verify");

        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(delivery.Body)), claims.GetProperty("payload_hash").GetString());
        Assert.Equal("abcd1234", claims.GetProperty("api_key").GetString());
        Assert.False(string.IsNullOrEmpty(claims.GetProperty("jti").GetString()));
        Assert.InRange(claims.GetProperty("iat").GetInt64(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds());

        var body = delivery.Json;
        // What WhatsApp sends, so the orchestrator's default filter (Webhooks:OtpSms) takes it.
        Assert.Equal($"Your WhatsApp code: {code[..3]}-{code[3..]}\nDon't share this code with others", body.GetProperty("text").GetString());
        Assert.Equal("WhatsApp", body.GetProperty("msisdn").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("messageId").GetString()));
        Assert.Equal("text", body.GetProperty("type").GetString());
        Assert.Equal("YOUR", body.GetProperty("keyword").GetString());
        Assert.True(DateTime.TryParse(body.GetProperty("message-timestamp").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
    }

    [Fact]
    public async Task NonSuccessAnswers_AreRetriedWithTheSameMessageId()
    {
        _failuresPerMessage = 2;
        var number = SandboxApi.UniqueNumber();
        var id = await _client.ProvisionAsync(number);
        await _client.WaitForStateAsync(id, "CODE_SENT");

        var delivery = await WaitForCodeAsync("44" + number, await _client.OtpAsync(id));

        var messageId = delivery.Json.GetProperty("messageId").GetString()!;
        Assert.Equal(3, _attemptsByMessage[messageId]);
        Assert.Equal(2, _deliveries.Count(d => !d.Accepted && d.Json.GetProperty("messageId").GetString() == messageId));
    }

    [Fact]
    public async Task NumberEnding0001_LosesItsFirstCodeButGetsResentOnes()
    {
        var number = "77770001";
        var id = await _client.ProvisionAsync(number);
        await _client.WaitForStateAsync(id, "CODE_SENT");
        var first = await _client.OtpAsync(id);

        using var resent = await _client.PostAsync($"{SandboxApi.Deployments}/{id}/resend-otp", null);
        var second = await _client.OtpAsync(id);
        await WaitForCodeAsync("44" + number, second);

        Assert.DoesNotContain(AcceptedTo("44" + number), d => CodeIn(d) == first && first != second);
        Assert.Single(AcceptedTo("44" + number));
    }

    [Fact]
    public async Task NumberEnding0002_NeverReachesTheWebhook_AndVoiceCodesAreNotSms()
    {
        var silent = await _client.ProvisionAsync("77770002");
        var voice = SandboxApi.UniqueNumber();
        var voiceId = await _client.ProvisionAsync(voice, method: "voice");
        await _client.WaitForStateAsync(silent, "CODE_SENT");
        await _client.WaitForStateAsync(voiceId, "CODE_SENT");
        using var resent = await _client.PostAsync($"{SandboxApi.Deployments}/{silent}/resend-otp", null);

        // A code sent after both shows the queue has drained past them.
        var witness = SandboxApi.UniqueNumber();
        var witnessId = await _client.ProvisionAsync(witness);
        await _client.WaitForStateAsync(witnessId, "CODE_SENT");
        await WaitForCodeAsync("44" + witness, await _client.OtpAsync(witnessId));

        Assert.Empty(AcceptedTo("4477770002"));
        Assert.Empty(AcceptedTo("44" + voice));
        Assert.Matches("^[0-9]{6}$", await _client.OtpAsync(silent));
    }
}
