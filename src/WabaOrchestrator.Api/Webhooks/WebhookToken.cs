using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace WabaOrchestrator.Api.Webhooks;

/// <summary>
/// What <see cref="IWebhookTokenStore"/> keys on. A GET's token signs only an empty body, so its query is what binds
/// it to one request; a POST's body is already covered by <c>payload_hash</c>, bound all the same so one rule serves
/// both. Hashes, so neither the token nor the SMS it carried (a code) is ever stored.
/// </summary>
public static class WebhookToken
{
    public static string Hash(string authorization) => Hex(Encoding.UTF8.GetBytes(authorization.Trim()));

    public static string Binding(HttpRequest request, byte[] body)
    {
        var query = Encoding.UTF8.GetBytes(request.Method.ToUpperInvariant() + "\n" + (request.QueryString.Value ?? "") + "\n");
        return Hex([.. query, .. body]);
    }

    private static string Hex(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
