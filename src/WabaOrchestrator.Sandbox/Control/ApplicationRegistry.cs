using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using WabaOrchestrator.Sandbox.Infrastructure;
using WabaOrchestrator.Sandbox.Infrastructure.Persistence;

namespace WabaOrchestrator.Sandbox.Control;

/// <summary>
/// Vonage applications whose RS256 tokens the sandbox accepts: those configured under
/// <c>Sandbox:Applications</c> (kept across resets) and those registered at run time (cleared by reset; kept in the
/// data directory when there is one).
/// </summary>
internal sealed class ApplicationRegistry : IResettable
{
    private readonly ISandboxState _state;
    private readonly ConcurrentDictionary<string, RsaSecurityKey> _configured = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RsaSecurityKey> _registered = new(StringComparer.Ordinal);

    public ApplicationRegistry(IOptions<SandboxOptions> options, ISandboxState state)
    {
        _state = state;
        foreach (var (applicationId, application) in state.Load<RegisteredApplication>(StateKinds.Application))
        {
            if (TryImportKey(application.PublicKey) is { } key)
            {
                _registered[applicationId] = key;
            }
        }

        foreach (var application in options.Value.Applications)
        {
            _configured[application.ApplicationId] = TryImportKey(application.PublicKey)
                ?? throw new OptionsValidationException(SandboxOptions.SectionName, typeof(SandboxOptions),
                    [$"Sandbox:Applications: the public key of application '{application.ApplicationId}' is not a PEM RSA public key."]);
        }
    }

    public IEnumerable<string> ApplicationIds => _configured.Keys.Union(_registered.Keys).Order(StringComparer.Ordinal);

    /// <summary>A run-time registration replaces an earlier one of the same id, so keys can be rotated.</summary>
    public void Register(string applicationId, string publicKeyPem, RsaSecurityKey key)
    {
        _state.Write(StateWrite.Put(StateKinds.Application, applicationId, new RegisteredApplication(publicKeyPem)));
        _registered[applicationId] = key;
    }

    public bool TryGetKey(string applicationId, out RsaSecurityKey key) =>
        _registered.TryGetValue(applicationId, out key!) || _configured.TryGetValue(applicationId, out key!);

    public void Reset()
    {
        _registered.Clear();
        _state.Clear(StateKinds.Application);
    }

    /// <summary>Reads a PEM public key (SubjectPublicKeyInfo or PKCS#1); null when it is not one.</summary>
    public static RsaSecurityKey? TryImportKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
    }
}

internal sealed record RegisteredApplication(string PublicKey);
