using System.ComponentModel.DataAnnotations;

namespace WabaOrchestrator.Vonage.Configuration;

/// <summary>Settings under <c>Vonage:*</c>.</summary>
public sealed class VonageOptions
{
    public const string SectionName = "Vonage";

    /// <summary>Root of both APIs. The sandbox (or a host that mounts it under a prefix) goes here in development.</summary>
    [Required(ErrorMessage = "Set Vonage:BaseUrl to the API root (https://api.nexmo.com for Vonage, the sandbox's address for local runs).")]
    public Uri BaseUrl { get; set; } = new("https://api.nexmo.com/");

    /// <summary>The Vonage application whose private key signs the JWTs.</summary>
    [Required(ErrorMessage = "Set Vonage:ApplicationId to your Vonage application's id (the dashboard's Applications page).")]
    public string ApplicationId { get; set; } = "";

    /// <summary>The application's RSA private key as PEM text (PKCS#8 or PKCS#1).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>A file holding the application's PEM private key (the <c>private.key</c> Vonage lets you download).</summary>
    public string? PrivateKeyPath { get; set; }

    /// <summary>Read the private key from an Azure Key Vault secret.</summary>
    public VonageKeyVaultOptions KeyVault { get; set; } = new();

    public VonageResilienceOptions Resilience { get; set; } = new();

    /// <summary>Lifetime written into each JWT's <c>exp</c>.</summary>
    [Range(typeof(TimeSpan), "00:01:30", "24:00:00", ErrorMessage = "Vonage:TokenLifetime must be between 00:01:30 and 24:00:00 (Vonage refuses tokens beyond 24 hours).")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Settings under <c>Vonage:KeyVault:*</c>.</summary>
public sealed class VonageKeyVaultOptions
{
    /// <summary>The vault, e.g. <c>https://my-vault.vault.azure.net/</c>.</summary>
    public Uri? VaultUri { get; set; }

    /// <summary>The secret whose value is the PEM private key.</summary>
    public string? PrivateKeySecretName { get; set; }

    /// <summary>Client id of a user-assigned managed identity; null uses <c>DefaultAzureCredential</c>'s usual chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    internal bool IsConfigured => VaultUri is not null || !string.IsNullOrWhiteSpace(PrivateKeySecretName);
}

/// <summary>Settings under <c>Vonage:Resilience:*</c>.</summary>
public sealed class VonageResilienceOptions
{
    /// <summary>Retries after the first attempt (0 disables retries).</summary>
    [Range(0, 20, ErrorMessage = "Vonage:Resilience:MaxRetryAttempts must be between 0 and 20.")]
    public int MaxRetryAttempts { get; set; } = 4;

    /// <summary>First backoff delay; doubles per retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "Vonage:Resilience:BaseDelay must be between 00:00:00 and 00:01:00.")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Cap on a single backoff delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Vonage:Resilience:MaxDelay must be between 00:00:00 and 00:10:00.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Longest <c>Retry-After</c> the client waits in-process. A longer one is returned to the caller
    /// (on <c>VonageApiException.RetryAfter</c>) so a durable workflow can wait with a timer instead.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Vonage:Resilience:MaxRetryAfter must be between 00:00:00 and 00:10:00.")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00", ErrorMessage = "Vonage:Resilience:AttemptTimeout must be between 00:00:00.001 and 00:10:00.")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Time allowed for a call including every retry and delay.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00", ErrorMessage = "Vonage:Resilience:TotalTimeout must be between 00:00:00.001 and 01:00:00.")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(90);
}
