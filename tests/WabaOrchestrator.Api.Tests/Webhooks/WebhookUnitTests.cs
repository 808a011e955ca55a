using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Webhooks;

namespace WabaOrchestrator.Api.Tests.Webhooks;

public sealed class WebhookUnitTests
{
    [Theory]
    [InlineData("Your WhatsApp code is 123-456", "123456")]
    [InlineData("Your WhatsApp code is 123456", "123456")]
    [InlineData("Code: 123 456. Don't share it", "123456")]
    [InlineData("WhatsApp code 654-321. Do not share", "654321")]
    [InlineData("Call 0800-123-4567", null)]
    [InlineData("1234567", null)]
    [InlineData("no code here", null)]
    [InlineData("", null)]
    public void OtpText_FindsStandaloneSixDigitCodesOnly(string text, string? expected) => Assert.Equal(expected, OtpText.Extract(text));

    [Theory]
    [InlineData("{\"alg\":\"\\ud800\"}", "{\"iat\":IAT,\"payload_hash\":\"HASH\"}")]
    [InlineData("{\"alg\":\"HS256\"}", "{\"iat\":IAT,\"payload_hash\":\"\\ud800\"}")]
    public void SignedWebhook_ALoneSurrogateInAClaim_IsRefused_NotThrown(string header, string claims)
    {
        // JSON escapes that are not valid UTF-16 make JsonElement.GetString throw; a signed token may carry them.
        var body = "{}"u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        claims = claims.Replace("IAT", now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("HASH", Convert.ToHexStringLower(SHA256.HashData(body)), StringComparison.Ordinal);
        var signed = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "."
            + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims));
        var signature = HMACSHA256.HashData("secret"u8, Encoding.ASCII.GetBytes(signed));
        var token = "Bearer " + signed + "." + Base64Url.EncodeToString(signature);

        Assert.NotNull(SignedWebhook.Verify(token, body, "secret", now, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void InboundSmsParameters_JsonWithALoneSurrogate_IsABodyError_NotAThrow()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";

        var (parameters, error) = InboundSmsParameters.Parse(context.Request, "{\"messageId\":\"\\ud800\",\"to\":\"447700900999\"}"u8.ToArray());

        Assert.Null(parameters);
        Assert.NotNull(error);
    }

    [Fact]
    public void Deduplicator_SameIdWithinTheWindow_IsADuplicate_AfterItIsNew()
    {
        var clock = new ManualClock();
        var dedupe = new MessageIdDeduplicator(Options.Create(new WebhookOptions { DedupeWindow = TimeSpan.FromHours(24) }), clock);

        Assert.True(dedupe.TryReserve("m1"));
        Assert.False(dedupe.TryReserve("m1"));
        clock.Advance(TimeSpan.FromHours(23));
        Assert.False(dedupe.TryReserve("m1"));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.True(dedupe.TryReserve("m1"));
    }

    [Fact]
    public void Deduplicator_Released_CanBeReservedAgain()
    {
        var dedupe = new MessageIdDeduplicator(Options.Create(new WebhookOptions()), new ManualClock());
        Assert.True(dedupe.TryReserve("m1"));
        dedupe.Release("m1");
        Assert.True(dedupe.TryReserve("m1"));
    }

    [Fact]
    public void Deduplicator_StaysWithinItsCapacity_ForgettingTheOldest()
    {
        var dedupe = new MessageIdDeduplicator(Options.Create(new WebhookOptions { DedupeCapacity = 100 }), new ManualClock());
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(dedupe.TryReserve("m" + i));
        }

        Assert.True(dedupe.Count <= 100);
        Assert.False(dedupe.TryReserve("m9999"));
        Assert.True(dedupe.TryReserve("m0"));
    }

    [Fact]
    public void Deduplicator_ConcurrentDeliveriesOfOneMessage_ReserveOnce()
    {
        var dedupe = new MessageIdDeduplicator(Options.Create(new WebhookOptions()), new ManualClock());
        var wins = 0;
        Parallel.For(0, 64, _ =>
        {
            if (dedupe.TryReserve("same"))
            {
                Interlocked.Increment(ref wins);
            }
        });
        Assert.Equal(1, wins);
    }

    [Fact]
    public void QueryTokenBindings_ATokenKeepsItsFirstQuery_UntilItsIatCanNoLongerBeAccepted()
    {
        var clock = new ManualClock();
        var bindings = new QueryTokenBindings(Options.Create(new WebhookOptions { MaxClockSkew = TimeSpan.FromMinutes(5) }), clock);

        Assert.True(bindings.TryBind("t1", "?to=1&text=111111"));
        Assert.True(bindings.TryBind("t1", "?to=1&text=111111"));
        Assert.False(bindings.TryBind("t1", "?to=2&text=222222"));
        Assert.True(bindings.TryBind("t2", "?to=2&text=222222"));

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(bindings.TryBind("t1", "?to=2&text=222222"));
    }

    [Fact]
    public void SmsSignature_Md5Hash_IsMd5OfSortedParametersWithTheSecretAppended()
    {
        var parameters = new Dictionary<string, string> { ["to"] = "447700900001", ["text"] = "a&b=c", ["timestamp"] = "1700000000" };
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("&text=a_b_c&timestamp=1700000000&to=447700900001secret"u8.ToArray()));
        Assert.Equal(expected, SmsSignature.Sign(parameters, "secret", "md5hash"));
        Assert.Null(SmsSignature.Verify(new Dictionary<string, string>(parameters) { ["sig"] = expected.ToUpperInvariant() }, "secret", "md5hash", DateTimeOffset.FromUnixTimeSeconds(1700000060), TimeSpan.FromMinutes(5)));
        Assert.NotNull(SmsSignature.Verify(new Dictionary<string, string>(parameters) { ["sig"] = expected }, "secret", "md5hash", DateTimeOffset.FromUnixTimeSeconds(1700001000), TimeSpan.FromMinutes(5)));
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
