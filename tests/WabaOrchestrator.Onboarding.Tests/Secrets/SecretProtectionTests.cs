using System.Security.Cryptography;
using System.Text;
using WabaOrchestrator.Onboarding.Callbacks;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Onboarding.Tests.Secrets;

public sealed class SecretProtectionTests
{
    private static AesGcmSecretProtector NewProtector() => new(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Protect_ThenUnprotect_ReturnsThePlaintextAndHidesIt()
    {
        using var protector = NewProtector();

        var protectedPin = protector.Protect("123456", SecretPurposes.Pin);

        Assert.StartsWith(AesGcmSecretProtector.Prefix, protectedPin, StringComparison.Ordinal);
        Assert.DoesNotContain("123456", protectedPin, StringComparison.Ordinal);
        Assert.Equal("123456", protector.Unprotect(protectedPin, SecretPurposes.Pin));
    }

    [Fact]
    public void Protect_TheSameValueTwice_GivesDifferentCiphertexts()
    {
        using var protector = NewProtector();

        Assert.NotEqual(protector.Protect("123456", SecretPurposes.Otp), protector.Protect("123456", SecretPurposes.Otp));
    }

    [Fact]
    public void Unprotect_WithAnotherPurpose_IsRefused()
    {
        using var protector = NewProtector();
        var pin = protector.Protect("123456", SecretPurposes.Pin);

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(pin, SecretPurposes.Otp));
    }

    [Fact]
    public void Unprotect_ATamperedOrForeignValue_IsRefused()
    {
        using var protector = NewProtector();
        using var other = NewProtector();
        var value = protector.Protect("AbCdEFGHiJK123456", SecretPurposes.VnameCertificate);
        var tampered = value[..^2] + (value[^2] == 'A' ? "B" : "A") + value[^1];

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(tampered, SecretPurposes.VnameCertificate));
        Assert.ThrowsAny<CryptographicException>(() => other.Unprotect(value, SecretPurposes.VnameCertificate));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("plaintext", SecretPurposes.VnameCertificate));
        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect("wsp1:!!", SecretPurposes.VnameCertificate));
    }

    [Fact]
    public void KeyFile_IsCreatedOnceWithOwnerOnlyPermissionsAndReused()
    {
        var path = Path.Combine(Path.GetTempPath(), $"waba-key-{Guid.NewGuid():N}", "secret.key");
        try
        {
            var first = new SecretProtectionOptions { KeyFile = path }.ResolveKeyRing().Keys[SecretProtectionOptions.DefaultKeyId];
            var second = new SecretProtectionOptions { KeyFile = path }.ResolveKeyRing().Keys[SecretProtectionOptions.DefaultKeyId];

            Assert.Equal(32, first.Length);
            Assert.Equal(first, second);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Key_ThatIsNot32Bytes_IsRefusedWithAClearMessage()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => new SecretProtectionOptions { Key = Convert.ToBase64String(new byte[16]) }.ResolveKeyRing());

        Assert.Contains("32 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CallbackSignature_VerifiesTheBodyAndTimestamp()
    {
        var secret = Encoding.UTF8.GetBytes("callback-secret");
        var body = Encoding.UTF8.GetBytes("""{"stage":"Completed"}""");
        var at = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var header = CallbackSignature.Create(secret, at, body);

        Assert.Matches("^t=1800000000,v1=[0-9a-f]{64}$", header);
        Assert.True(CallbackSignature.Verify(secret, header, body, at.AddSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(secret, header, Encoding.UTF8.GetBytes("""{"stage":"Failed"}"""), at, TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(Encoding.UTF8.GetBytes("other"), header, body, at, TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(secret, header, body, at.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(secret, "garbage", body, at, TimeSpan.FromMinutes(5)));
    }
}
