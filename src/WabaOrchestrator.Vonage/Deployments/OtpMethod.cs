using System.Text.Json.Serialization;
using WabaOrchestrator.Vonage.Models;

namespace WabaOrchestrator.Vonage.Deployments;

/// <summary>How the OTP is delivered. Values Vonage adds later are kept as they come.</summary>
[JsonConverter(typeof(StringValueJsonConverter<OtpMethod>))]
public readonly record struct OtpMethod(string Value) : IStringValue<OtpMethod>
{
    public static OtpMethod Sms { get; } = new("sms");

    public static OtpMethod Voice { get; } = new("voice");

    public static IReadOnlyList<OtpMethod> Known { get; } = [Sms, Voice];

    public static OtpMethod From(string value) => new(value);

    public override string ToString() => Value ?? "";
}
