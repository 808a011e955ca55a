using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WabaOrchestrator.Api.Webhooks;
using WabaOrchestrator.Testing;

namespace WabaOrchestrator.Api.Tests.Webhooks;

public sealed class WebhookUnitTests
{
    [Theory]
    [InlineData("Your WhatsApp code: 123-456\nDon't share this code with others", "123456")]
    [InlineData("Your WhatsApp code is 123-456", "123456")]
    [InlineData("Your WhatsApp code 123456", "123456")]
    [InlineData("WhatsApp Business code: 654-321", "654321")]
    [InlineData("Your WhatsApp Business code 654 321", "654321")]
    [InlineData("<#> Your WhatsApp code: 111-222\nYou can also tap on this link to verify your phone: v.whatsapp.com/111222\n\n4sgLq1p5sV6", "111222")]
    [InlineData("  your whatsapp CODE: 123-456", "123456")]
    [InlineData("hello 000001", null)]
    [InlineData("Code: 123 456. Don't share it", null)]
    [InlineData("Hi! Your WhatsApp code is 123-456", null)]
    [InlineData("Your WhatsApp code: 1234567", null)]
    [InlineData("Your WhatsApp code: 123-45", null)]
    [InlineData("Your Telegram code: 123-456", null)]
    [InlineData("", null)]
    public void OtpSmsFilter_TakesOnlyWhatsAppsCodeMessage(string text, string? expected)
    {
        var (code, reason) = Filter().Extract("WhatsApp", text);

        Assert.Equal(expected, code);
        Assert.Equal(expected is null, reason is not null);
    }

    [Theory]
    [InlineData("WhatsApp", "WhatsApp", true)]
    [InlineData("WhatsApp", "whatsapp", true)]
    [InlineData("WhatsApp", " WHATSAPP ", true)]
    [InlineData("WhatsApp", "14155550100", false)]
    [InlineData("WhatsApp", "WhatsApp2", false)]
    [InlineData("WhatsApp", "", false)]
    [InlineData("WhatsApp, 32665", "32665", true)]
    [InlineData("WhatsApp,+447700900123", "447700900123", true)]
    [InlineData("WhatsApp,447700900123", "+447700900123", true)]
    [InlineData("*", "14155550100", true)]
    public void OtpSmsFilter_TakesCodesOnlyFromTheConfiguredSenders(string senders, string sender, bool accepted)
    {
        var (code, reason) = Filter(new OtpSmsOptions { Senders = senders }).Extract(sender, "Your WhatsApp code: 123-456");

        Assert.Equal(accepted ? "123456" : null, code);
        if (!accepted)
        {
            Assert.Contains("sender", reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void OtpSmsFilter_APatternOfTheOperatorsOwn_FindsTheCodeInItsCodeGroup()
    {
        var filter = Filter(new OtpSmsOptions { TextPattern = @"Seu código do WhatsApp: (?<code>\d{3}-\d{3})" });

        Assert.Equal("123456", filter.Extract("WhatsApp", "Seu código do WhatsApp: 123-456").Code);
        Assert.Null(filter.Extract("WhatsApp", "Your WhatsApp code: 123-456").Code);
    }

    [Fact]
    public void OtpSmsFilter_ATextThatRunsPastTheMatchTimeout_IsIgnored_NotThrown()
    {
        // Catastrophic backtracking: the timeout, not the host, stops it.
        var filter = Filter(new OtpSmsOptions { TextPattern = @"^(a+)+(?<code>\d{6})$", MatchTimeout = TimeSpan.FromMilliseconds(1) });

        var (code, reason) = filter.Extract("WhatsApp", new string('a', 5000) + "!");

        Assert.Null(code);
        Assert.Contains("MatchTimeout", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WhatsApp", OtpSmsOptions.DefaultTextPattern, null)]
    [InlineData("WhatsApp", "(unclosed", "not a valid regular expression")]
    [InlineData("WhatsApp", @"WhatsApp code (\d{3}-\d{3})", "no group named 'code'")]
    [InlineData("WhatsApp", "", "group named 'code'")]
    [InlineData(" , ,", OtpSmsOptions.DefaultTextPattern, "Senders")]
    public void OtpSmsOptions_ThatCannotYieldACode_FailValidation(string senders, string pattern, string? failure)
    {
        var result = new OtpSmsOptionsValidator().Validate(null, new WebhookOptions { OtpSms = new OtpSmsOptions { Senders = senders, TextPattern = pattern } });

        if (failure is null)
        {
            Assert.True(result.Succeeded, result.FailureMessage);
        }
        else
        {
            Assert.Contains(failure, result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("2026-03-01 10:15:30", "2026-03-01T10:15:30Z")]
    [InlineData("2026-03-01T10:15:30Z", "2026-03-01T10:15:30Z")]
    [InlineData("2026-03-01 11:15:30", "2026-03-01T11:00:00Z")]
    [InlineData("yesterday", "2026-03-01T11:00:00Z")]
    [InlineData(null, "2026-03-01T11:00:00Z")]
    public void ReceivedAt_IsVonagesMessageTimestamp_NeverLaterThanNow(string? timestamp, string expected)
    {
        var now = DateTimeOffset.Parse("2026-03-01T11:00:00Z", CultureInfo.InvariantCulture);
        var parameters = new Dictionary<string, string>();
        if (timestamp is not null)
        {
            parameters["message-timestamp"] = timestamp;
        }

        Assert.Equal(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture), InboundSmsHandler.ReceivedAt(parameters, now));
    }

    private static OtpSmsFilter Filter(OtpSmsOptions? sms = null) => new(Options.Create(new WebhookOptions { OtpSms = sms ?? new OtpSmsOptions() }));

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
    public async Task InMemoryWebhookTokenStore_ATokenKeepsItsFirstBinding_UntilItExpires()
    {
        var clock = new ManualClock();
        var store = new InMemoryWebhookTokenStore(Options.Create(new WebhookOptions()), clock);
        await WebhookTokenStoreContract.AssertFirstUseWinsAsync(store, clock.GetUtcNow().AddMinutes(10));

        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.True(await store.TryUseAsync("token-1", "binding-b", clock.GetUtcNow().AddMinutes(10), default));
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
