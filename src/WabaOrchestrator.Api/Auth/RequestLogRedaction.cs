using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WabaOrchestrator.Api.Auth;

/// <summary>
/// Masks every query value in what the categories that log request URLs write (ASP.NET Core's "Request
/// starting/finished", HTTP logging, Kestrel, HttpClient): a Functions key in <c>?code=</c> and the SMS text of a GET
/// inbound-SMS delivery (the OTP) travel in the query. The names stay (<c>?code=***</c>), so a log still says what
/// was sent. It wraps the logger factory, so it holds at every level and for every provider the host is configured with.
/// </summary>
public static partial class RequestLogRedaction
{
    public const string Mask = "***";

    /// <summary>Logger categories (and their sub-categories) that write request URLs.</summary>
    public static readonly IReadOnlyList<string> Categories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.HttpLogging",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http.HttpClient",
    ];

    /// <summary>Wraps the registered <see cref="ILoggerFactory"/>; call after logging is added (both hosts' builders do).</summary>
    public static IServiceCollection AddRequestLogRedaction(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(RedactingLoggerFactory)))
        {
            return services;
        }

        services.AddSingleton<RedactingLoggerFactory>(sp => new(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
        services.AddSingleton<ILoggerFactory>(sp => sp.GetRequiredService<RedactingLoggerFactory>());
        return services;
    }

    /// <summary><paramref name="text"/> with the value of every <c>name=value</c> after a <c>?</c> or <c>&amp;</c> masked.</summary>
    public static string Redact(string text) =>
        text.Contains('=', StringComparison.Ordinal) ? QueryValue().Replace(text, "$1" + Mask) : text;

    internal static bool Applies(string category) =>
        Categories.Any(c => category.StartsWith(c, StringComparison.Ordinal) && (category.Length == c.Length || category[c.Length] == '.'));

    [GeneratedRegex("""([?&][^=&#\s"'?]*=)[^&#\s"']+""")]
    private static partial Regex QueryValue();

    internal sealed class RedactingLoggerFactory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName)
        {
            var logger = inner.CreateLogger(categoryName);
            return Applies(categoryName) ? new RedactingLogger(logger) : logger;
        }

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(new RedactedState(state, null));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
            {
                return;
            }

            var redacted = new RedactedState(state, Redact(formatter(state, exception)));
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.ToString());
        }
    }

    /// <summary>The state's properties with string values masked, and its message.</summary>
    private sealed class RedactedState(object? state, string? message) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _properties = state is IEnumerable<KeyValuePair<string, object?>> properties
            ? [.. properties.Select(p => p.Key == "{OriginalFormat}" || p.Value is not string s ? p : new(p.Key, Redact(s)))]
            : [];

        public int Count => _properties.Length;

        public KeyValuePair<string, object?> this[int index] => _properties[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_properties).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => message ?? Redact(state?.ToString() ?? "");
    }
}
