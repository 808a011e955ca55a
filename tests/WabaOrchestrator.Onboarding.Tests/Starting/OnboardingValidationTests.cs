using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Vonage.Profile;

namespace WabaOrchestrator.Onboarding.Tests.Starting;

public sealed class OnboardingValidationTests
{
    private static readonly OnboardingRequest Valid = new()
    {
        CountryCode = "44",
        Number = "7700900001",
        VnameCertificate = "AbCdEFGHiJK123456",
        Method = "sms",
        WabaId = "123456789123",
        Pin = "123456",
    };

    private static IEnumerable<string> Fields(OnboardingRequest request, OnboardingOptions? options = null) =>
        OnboardingValidation.Validate(request, options ?? new OnboardingOptions()).Select(p => p.Field);

    [Fact]
    public void Validate_ACompleteRequest_HasNoProblems() => Assert.Empty(Fields(Valid));

    [Fact]
    public void Validate_AnEmptyRequest_NamesEveryRequiredField() =>
        Assert.Equal(["country_code", "number", "vname_certificate", "method", "waba_id"], Fields(new OnboardingRequest()));

    [Theory]
    [InlineData("country_code", "4a")]
    [InlineData("country_code", "4444")]
    [InlineData("number", "77009x0001")]
    [InlineData("waba_id", "waba-1")]
    [InlineData("pin", "12345")]
    [InlineData("pin", "12345a")]
    [InlineData("method", "email")]
    public void Validate_ABadField_NamesIt(string field, string value)
    {
        var request = field switch
        {
            "country_code" => Valid with { CountryCode = value },
            "number" => Valid with { Number = value },
            "waba_id" => Valid with { WabaId = value },
            "pin" => Valid with { Pin = value },
            _ => Valid with { Method = value },
        };

        Assert.Equal([field], Fields(request));
    }

    [Fact]
    public void Validate_ProfileOverTheLimits_NamesEachNestedField()
    {
        var request = Valid with
        {
            Profile = new BusinessProfile(About: new string('a', 140), Email: "not-an-email", Vertical: ProfileVertical.From("Spaceships"), Websites: ["ftp://x", "https://a", "https://b"]),
        };

        var fields = Fields(request).ToList();

        Assert.Contains("profile.about", fields);
        Assert.Contains("profile.email", fields);
        Assert.Contains("profile.vertical", fields);
        Assert.Contains("profile.websites", fields);
    }

    [Theory]
    [InlineData("https://example.com/logo.gif")]
    [InlineData("ftp://example.com/logo.png")]
    [InlineData("logo.png")]
    public void Validate_APhotoUrlThatIsNotAnHttpPngOrJpeg_IsRefused(string url) =>
        Assert.Equal(["photo_url"], Fields(Valid with { PhotoUrl = url }));

    [Theory]
    [InlineData("https://example.com/logo.PNG")]
    [InlineData("http://example.com/a/logo.jpeg?size=640")]
    public void Validate_AnHttpImageUrl_IsAccepted(string url) => Assert.Empty(Fields(Valid with { PhotoUrl = url }));

    [Fact]
    public void Validate_ACallbackUrl_NeedsASigningSecretOnTheService()
    {
        var request = Valid with { CallbackUrl = "https://caller.example/hooks" };

        Assert.Equal(["callback_url"], Fields(request));
        Assert.Empty(Fields(request, new OnboardingOptions { Callbacks = { SigningSecret = "s3cret" } }));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hooks")]
    [InlineData("http://169.254.169.254/metadata/instance")]
    [InlineData("https://169.254.169.254/metadata/instance")]
    [InlineData("https://2130706433/hooks")]
    [InlineData("https://0x7f.1/hooks")]
    [InlineData("https://0177.0.0.1/hooks")]
    [InlineData("https://127.1/hooks")]
    [InlineData("https://[::1]/hooks")]
    [InlineData("https://[::ffff:127.0.0.1]/hooks")]
    [InlineData("https://[::ffff:a9fe:a9fe]/hooks")]
    [InlineData("https://[fd00:ec2::254]/hooks")]
    [InlineData("https://168.63.129.16/hooks")]
    [InlineData("https://10.0.0.5/hooks")]
    [InlineData("https://[fe80::1]/hooks")]
    [InlineData("https://0.0.0.0/hooks")]
    [InlineData("https://224.0.0.1/hooks")]
    [InlineData("https://255.255.255.255/hooks")]
    public void Validate_ACallbackUrlNamingABlockedAddress_IsRefused(string url) =>
        Assert.Equal(["callback_url"], Fields(Valid with { CallbackUrl = url }, WithCallbacks(allowHttp: true)));

    [Theory]
    [InlineData("https://127.0.0.1:5000/hooks")]
    [InlineData("http://127.0.0.1:5000/hooks")]
    [InlineData("http://[::1]:5000/hooks")]
    [InlineData("http://192.168.1.20/hooks")]
    public void Validate_ACallbackUrlOnTheDevelopersOwnMachine_AcceptedWhenPrivateAddressesAreAllowed(string url) =>
        Assert.Empty(Fields(Valid with { CallbackUrl = url }, WithCallbacks(allowHttp: true, allowPrivate: true)));

    [Theory]
    [InlineData("http://169.254.169.254/metadata/instance")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data")]
    [InlineData("http://[fd00:ec2::254]/latest/meta-data")]
    [InlineData("http://168.63.129.16/machine")]
    [InlineData("http://0.0.0.0:5000/hooks")]
    public void Validate_ACallbackUrlNamingAMetadataOrUnspecifiedAddress_RefusedEvenWhenPrivateAddressesAreAllowed(string url) =>
        Assert.Equal(["callback_url"], Fields(Valid with { CallbackUrl = url }, WithCallbacks(allowHttp: true, allowPrivate: true)));

    [Fact]
    public void Validate_AnHttpCallbackUrl_RefusedUnlessHttpIsAllowed()
    {
        var request = Valid with { CallbackUrl = "http://caller.example/hooks" };

        var problem = Assert.Single(OnboardingValidation.Validate(request, WithCallbacks()));
        Assert.Equal("callback_url", problem.Field);
        Assert.Contains("https", problem.Reason, StringComparison.Ordinal);
        Assert.Empty(Fields(request, WithCallbacks(allowHttp: true)));
        Assert.Empty(Fields(Valid with { CallbackUrl = "https://caller.example/hooks" }, WithCallbacks()));
    }

    [Theory]
    [InlineData("https://hooks.caller.example/status", true)]
    [InlineData("https://HOOKS.Caller.Example./status", true)]
    [InlineData("https://a.b.partner.example/status", true)]
    [InlineData("https://partner.example/status", false)]
    [InlineData("https://caller.example/status", false)]
    [InlineData("https://hooks.caller.example.evil.example/status", false)]
    [InlineData("https://evilpartner.example/status", false)]
    public void Validate_WithAnAllowlist_OnlyItsHostsAreAccepted(string url, bool accepted)
    {
        var options = WithCallbacks();
        options.Callbacks.AllowedHosts.Add("hooks.caller.example");
        options.Callbacks.AllowedHosts.Add("*.partner.example");

        string[] expected = accepted ? [] : ["callback_url"];
        Assert.Equal(expected, Fields(Valid with { CallbackUrl = url }, options));
    }

    [Theory]
    [InlineData("hooks.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("*", false)]
    [InlineData("*.", false)]
    [InlineData("https://hooks.example.com", false)]
    [InlineData("hooks.example.com/path", false)]
    public void IsValidPattern_TakesHostNamesAndLeadingWildcards(string pattern, bool valid) =>
        Assert.Equal(valid, CallbackUrlRules.IsValidPattern(pattern));

    [Fact]
    public void Validate_OtpOverridesOutOfBounds_NameEachField()
    {
        var request = Valid with { Otp = new OtpSettings { Window = TimeSpan.FromSeconds(5), MaxResends = 11, MaxAttempts = 0 } };

        Assert.Equal(["otp.window", "otp.max_resends", "otp.max_attempts"], Fields(request));
    }

    [Fact]
    public void Resolve_UsesTheRequestOverridesOverTheDefaults()
    {
        var settings = new OnboardingOptions { OtpWindow = TimeSpan.FromMinutes(5), MaxResends = 3 }
            .Resolve(new OtpSettings { Window = TimeSpan.FromMinutes(2) });

        Assert.Equal(TimeSpan.FromMinutes(2), settings.OtpWindow);
        Assert.Equal(3, settings.MaxResends);
    }

    [Theory]
    [InlineData("123456", "123456")]
    [InlineData("123-456", "123456")]
    [InlineData(" 123 456 ", "123456")]
    [InlineData("12345", null)]
    [InlineData("12345a", null)]
    [InlineData("1234567", null)]
    public void TryNormalizeOtp_AcceptsTheWaysPeopleWriteACode(string code, string? expected) =>
        Assert.Equal(expected, OnboardingStarter.TryNormalizeOtp(code));

    private static OnboardingOptions WithCallbacks(bool allowHttp = false, bool allowPrivate = false) =>
        new() { Callbacks = { SigningSecret = "s3cret", AllowHttp = allowHttp, AllowPrivateAddresses = allowPrivate } };
}
