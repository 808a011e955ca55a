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
}
