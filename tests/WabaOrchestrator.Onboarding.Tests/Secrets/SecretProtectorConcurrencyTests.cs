using System.Security.Cryptography;
using WabaOrchestrator.Onboarding.Secrets;

namespace WabaOrchestrator.Onboarding.Tests.Secrets;

public sealed class SecretProtectorConcurrencyTests
{
    [Fact]
    public void Protector_UsedFromManyThreadsAtOnce_RoundTripsEveryValue()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var failures = 0;

        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var plain = $"code-{i}";
            if (protector.Unprotect(protector.Protect(plain, SecretPurposes.Otp), SecretPurposes.Otp) != plain)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }
}
