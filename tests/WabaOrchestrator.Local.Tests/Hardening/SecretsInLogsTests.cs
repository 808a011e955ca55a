using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Local.Tests.Hardening;

/// <summary>Keys and OTP codes never reach the local host's logs, whatever level they are configured to.</summary>
public sealed class SecretsInLogsTests
{
    [Fact]
    public async Task RequestLogsAtTrace_ShowNeitherTheOtpOfAGetDeliveryNorAKeyInCode_NorTheKeyInTheStartBanner()
    {
        var data = Path.Combine(Path.GetTempPath(), $"waba-logs-{Guid.NewGuid():N}");
        var capture = new CapturingLoggerProvider();
        var app = LocalApp.Create(
            ["--urls=http://127.0.0.1:0", $"--Local:DataDirectory={data}", "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft=Trace",
                "--Logging:LogLevel:Microsoft.AspNetCore=Trace", "--Logging:LogLevel:System.Net.Http.HttpClient=Trace", "--Logging:LogLevel:Microsoft.Extensions.Http=Trace"],
            builder => builder.Logging.ClearProviders().AddProvider(capture));
        try
        {
            await app.StartAsync();
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/") };
            var key = (await File.ReadAllTextAsync(Path.Combine(data, "api-key"))).Trim();
            var signatureSecret = (await File.ReadAllTextAsync(Path.Combine(data, "webhook-signature-secret"))).Trim();

            // A GET inbound-SMS delivery, correctly signed: the SMS (with the code) is in the URL.
            var query = $"msisdn=14155550100&to=447700900999&messageId={Guid.NewGuid():N}&text={Uri.EscapeDataString("Your WhatsApp code is 731-958")}&type=text&keyword=YOUR&api-key=sandbox";
            using var delivery = new HttpRequestMessage(HttpMethod.Get, $"api/webhooks/vonage/inbound-sms?{query}");
            delivery.Headers.Authorization = new("Bearer", SignEmptyBody(signatureSecret));
            using var delivered = await http.SendAsync(delivery);
            Assert.NotEqual(HttpStatusCode.Unauthorized, delivered.StatusCode);

            // The key in ?code= (refused by the local host, but the URL is what a request log writes) and in a dashboard link.
            using var keyed = await http.GetAsync($"api/onboardings?code={Uri.EscapeDataString(key)}");
            Assert.Equal(HttpStatusCode.Unauthorized, keyed.StatusCode);
            using var dashboard = await http.GetAsync($"?code={Uri.EscapeDataString(key)}");
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            await app.StopAsync();

            var logs = capture.Text;
            // Not vacuous: the request log ran at this level and names the parameters, not their values.
            Assert.Contains("inbound-sms?msisdn=***", logs, StringComparison.Ordinal);
            Assert.Contains("onboardings?code=***", logs, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(data, "api-key"), logs, StringComparison.Ordinal);
            foreach (var secret in new[] { "731-958", "731958", "Your WhatsApp code", "Your%20WhatsApp", key, Uri.EscapeDataString(key) })
            {
                Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            }
        }
        finally
        {
            await app.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Vonage's signed-webhook token (HS256) for a GET: the payload hash covers the empty body.</summary>
    private static string SignEmptyBody(string secret)
    {
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var claims = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString(),
            ["api_key"] = "sandbox",
            ["payload_hash"] = Convert.ToHexStringLower(SHA256.HashData([])),
        }));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + claims));
        return header + "." + claims + "." + Base64Url.EncodeToString(signature);
    }
}
