using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using WabaOrchestrator.Testing.Processes;

namespace WabaOrchestrator.EndToEnd.Tests.Security;

/// <summary>
/// Issue #8: after a run of onboardings (sms and voice, PINs, right and wrong codes by API and by webhook, an invalid
/// certificate, a cancel) with a kill -9 in the middle and the host logging at Trace, no PIN, certificate, code or
/// key is in the SQLite files, anything else in the data directory, the host's logs or the API's answers.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private const string Canary = "canary:";

    private readonly string _run = Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
    private readonly List<(string Label, string Value)> _secrets = [];
    private readonly List<string> _ids = [];
    private ProcessStack _stack = null!;

    public async Task InitializeAsync() =>
        _stack = await ProcessStack.StartAsync(SecurityStack.Options(
            ("Logging:LogLevel:Default", "Trace"),
            // appsettings.json quiets these three; a leak check wants every category at its most verbose.
            ("Logging:LogLevel:Microsoft.AspNetCore", "Trace"),
            ("Logging:LogLevel:Microsoft.Extensions.Http", "Trace"),
            ("Logging:LogLevel:System.Net.Http.HttpClient", "Trace")));

    public async Task DisposeAsync() => await _stack.DisposeAsync();

    [Fact]
    public async Task AfterOnboardingsAndAHostKill_NoSecretIsInTheDatabaseDataDirectoryLogsOrApiAnswers()
    {
        var about = $"Canary+<{_run}>&'bread";
        _secrets.Add((Canary + "profile about", about));

        var sms = await StartAsync("7700900401", "sms", pin: true, new { about });
        var voice = await StartAsync("7700900402", "voice", pin: true);
        var webhook = await StartAsync("7700900403", "voice", pin: false);

        // A voice number: a wrong code typed as 123-456, then the right one as 123456.
        var voiceCode = await OtpAsync(voice);
        var attempts = Onboardings.AttemptsLeft(await Onboardings.StatusAsync(_stack, voice));
        await SubmitAsync(voice, Dashed(Wrong(voiceCode)));
        await SecurityStack.WaitForAttemptsAsync(_stack, voice, attempts - 1);
        await SubmitAsync(voice, voiceCode);

        // A wrong code by signed inbound SMS; the right one is typed after the kill.
        var webhookCode = await OtpAsync(webhook);
        var wrongSms = InboundSms.Carrying("44" + "7700900403", Wrong(webhookCode));
        _secrets.Add((Canary + "message id", wrongSms.MessageId));
        using (var request = SecurityStack.Signed(wrongSms, _stack.SignatureSecret))
        using (var response = await _stack.Client.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }

        await SecurityStack.WaitForVerdictAsync(_stack, webhook, "wrong");
        var inFlight = await StartAsync("7700900404", "sms", pin: true);

        await _stack.KillAndRestartHostAsync();

        await SubmitAsync(webhook, Dashed(webhookCode));
        var invalid = await StartAsync("7700900405", "sms", pin: false, certificate: $"invalid+<{_run}>&'cert");
        var cancelled = await StartAsync("7700900406", "voice", pin: true);
        await OtpAsync(cancelled);
        using (var cancel = await _stack.Client.DeleteAsync($"api/onboardings/{cancelled}"))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        foreach (var (id, outcome) in new[] { (sms, "Completed"), (voice, "Completed"), (webhook, "Completed"), (inFlight, "Completed"), (invalid, "Failed"), (cancelled, "Cancelled") })
        {
            var end = await Onboardings.WaitForEndAsync(_stack, id);
            Assert.True(Onboardings.Stage(end) == outcome, $"{id}: {end}");
        }

        // The codes the sandbox texted by itself; the webhook delivered them as "Your WhatsApp code: 123-456".
        foreach (var id in new[] { sms, inFlight })
        {
            var deploymentId = (await Onboardings.StatusAsync(_stack, id)).GetProperty("output").GetProperty("deployment_id").GetString()!;
            AddCode("sms code", await Onboardings.SandboxCodeAsync(_stack, deploymentId));
        }

        var answers = await ApiAnswersAsync();
        _secrets.Add((Canary + "instance id", sms));
        _stack.Host.Kill();
        await AssertNoLeaksAsync(answers);
    }

    private async Task AssertNoLeaksAsync(string answers)
    {
        var files = Directory.EnumerateFiles(_stack.DataDirectory, "*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(_stack.Directory, "host"), "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();
        // The host is meant to hold its own generated keys; they must appear nowhere else. The Vonage private key and
        // the webhook secret came from configuration, so no file may hold them.
        var keyFiles = files.Where(f => Path.GetFileName(f) is "secret-protection.key" or "callback-signing-secret").ToList();
        var secrets = _secrets
            .Append(("signature secret", _stack.SignatureSecret))
            .Append(("api key", ProcessStack.ApiKey))
            .Concat(keyFiles.Select(f => ("key file " + Path.GetFileName(f), File.ReadAllText(f).Trim())));
        var scanner = new LeakScanner(secrets, [("vonage private key", _stack.PrivateKeyPem)]);

        var findings = new List<Finding>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            findings.AddRange(scanner.Scan(name, await ReadSharedAsync(file)).Where(f => f.Label != "key file " + name));
        }

        var logs = _stack.HostLogs;
        findings.AddRange(scanner.ScanText("host logs", logs));
        findings.AddRange(scanner.ScanText("api answers", answers));

        Assert.Contains(files, f => Path.GetFileName(f) == "durable.db");
        Assert.DoesNotContain(files, f => f.EndsWith(".pem", StringComparison.OrdinalIgnoreCase));
        // The scanner works: what is not secret is found where it must be, in the forms it was written in.
        Assert.Contains(findings, f => f.Label == Canary + "profile about" && f.Where.StartsWith("durable.db", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Label == Canary + "message id" && f.Where == "host logs");
        Assert.Contains(findings, f => f.Label == Canary + "instance id" && f.Where == "host logs");
        Assert.Contains(findings, f => f.Label == Canary + "instance id" && f.Where == "api answers");
        Assert.Contains("trce: ", logs, StringComparison.Ordinal);

        var leaks = findings.Where(f => !f.Label.StartsWith(Canary, StringComparison.Ordinal)).Select(f => f.ToString()).Distinct().ToList();
        Assert.True(leaks.Count == 0, $"{leaks.Count} leak(s) among {files.Count} files ({string.Join(", ", files.Select(Path.GetFileName))}), {logs.Length:N0} log characters and the API's answers:\n{string.Join("\n", leaks)}");
    }

    private async Task<string> StartAsync(string number, string method, bool pin, object? profile = null, string? certificate = null)
    {
        certificate ??= $"cert+<{_run}-{number}>&'\"vname";
        _secrets.Add(("certificate " + number, certificate));
        string? pinValue = null;
        if (pin)
        {
            pinValue = RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _secrets.Add(("pin " + number, pinValue));
        }

        var id = await Onboardings.StartAsync(_stack, new
        {
            country_code = "44",
            number,
            vname_certificate = certificate,
            method,
            waba_id = "123456",
            pin = pinValue,
            profile,
        });
        _ids.Add(id);
        return id;
    }

    private async Task<string> OtpAsync(string id)
    {
        var (_, code) = await Onboardings.WaitForOtpAsync(_stack, id);
        AddCode("code of " + id, code);
        return code;
    }

    private async Task SubmitAsync(string id, string code)
    {
        using var response = await _stack.Client.PostAsJsonAsync($"api/onboardings/{id}/otp", new { code });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private string Wrong(string code)
    {
        var wrong = SecurityStack.WrongCode(code);
        AddCode("wrong code", wrong);
        return wrong;
    }

    private void AddCode(string label, string code)
    {
        _secrets.Add((label, code));
        _secrets.Add((label + " (dashed)", Dashed(code)));
    }

    private static string Dashed(string code) => code[..3] + "-" + code[3..];

    /// <summary>Every onboarding's status and the list, as the API answers them.</summary>
    private async Task<string> ApiAnswersAsync()
    {
        var answers = new List<string>();
        foreach (var id in _ids)
        {
            answers.Add(await _stack.Client.GetStringAsync($"api/onboardings/{id}"));
        }

        var list = await _stack.Client.GetStringAsync("api/onboardings?top=100");
        Assert.Equal(_ids.Count, JsonDocument.Parse(list).RootElement.GetProperty("instances").GetArrayLength());
        answers.Add(list);
        return string.Join('\n', answers);
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
