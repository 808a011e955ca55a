using System.Security.Cryptography;
using System.Text;

namespace WabaOrchestrator.Vonage.Auth;

/// <summary>Where the Vonage application's RSA private key comes from.</summary>
public interface IVonagePrivateKeySource
{
    /// <summary>The key, loaded on first use and then cached for the life of the source.</summary>
    ValueTask<RSA> GetPrivateKeyAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Loads the PEM once, lazily; concurrent first callers share one load. A failed load is not cached
/// (a Key Vault hiccup at start-up must not poison the process), and the key text is never logged
/// or put in exception messages.
/// </summary>
public abstract class PemPrivateKeySource : IVonagePrivateKeySource, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile RSA? _key;

    /// <summary>Describes the source for error messages (never the key itself).</summary>
    protected abstract string Description { get; }

    public async ValueTask<RSA> GetPrivateKeyAsync(CancellationToken cancellationToken)
    {
        if (_key is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_key is { } loaded)
            {
                return loaded;
            }

            var pem = await LoadPemAsync(cancellationToken);
            _key = Import(pem);
            return _key;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected abstract Task<string> LoadPemAsync(CancellationToken cancellationToken);

    private RSA Import(string text)
    {
        var pem = ToPem(text);
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            // The inner exception is dropped on purpose: its message can quote the PEM.
            throw new InvalidOperationException($"The Vonage private key from {Description} is not a PEM-encoded RSA private key (expected a PKCS#8 or PKCS#1 PEM block, '-----BEGIN ... PRIVATE KEY-----', or base64 of one).");
        }
    }

    /// <summary>
    /// The PEM text in whichever form it survived configuration: as is; with literal "\n" (keys pasted into
    /// environment variables or app settings); or base64 of the whole PEM file, the form that gets through
    /// <c>azd env set</c> and the parameters file azd generates from it, which a PEM's newlines break.
    /// </summary>
    private static string ToPem(string text)
    {
        if (!text.Contains("-----BEGIN", StringComparison.Ordinal) && TryDecodeBase64Pem(text.Trim(), out var decoded))
        {
            return decoded;
        }

        if (!text.Contains('\n', StringComparison.Ordinal) && text.Contains("\\n", StringComparison.Ordinal))
        {
            return text.Replace("\\n", "\n", StringComparison.Ordinal);
        }

        return text;
    }

    private static bool TryDecodeBase64Pem(string text, out string pem)
    {
        pem = "";
        var bytes = new byte[text.Length];
        try
        {
            // Whitespace is skipped, so `base64` output wrapped at 76 columns decodes too.
            if (!Convert.TryFromBase64String(text, bytes, out var written))
            {
                return false;
            }

            var decoded = Encoding.UTF8.GetString(bytes, 0, written);
            if (!decoded.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                return false;
            }

            pem = decoded;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key?.Dispose();
            _gate.Dispose();
        }
    }
}
