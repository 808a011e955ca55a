using System.Security.Cryptography;

namespace WabaOrchestrator.Vonage.Tests.Infrastructure;

/// <summary>A Vonage application with a real RSA key pair (generated once per test run: 2048-bit keys are slow).</summary>
public sealed class TestApplication
{
    private static readonly Lazy<TestApplication> Shared = new(() => new TestApplication());

    private TestApplication()
    {
        Key = RSA.Create(2048);
        PrivateKeyPem = Key.ExportPkcs8PrivateKeyPem();
        PublicKeyPem = Key.ExportSubjectPublicKeyInfoPem();
    }

    public static TestApplication Instance => Shared.Value;

    public string ApplicationId { get; } = Guid.NewGuid().ToString();

    public RSA Key { get; }

    public string PrivateKeyPem { get; }

    public string PublicKeyPem { get; }
}
