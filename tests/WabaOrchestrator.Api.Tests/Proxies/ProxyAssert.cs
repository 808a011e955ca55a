using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>Assertions on problem+json answers shared by the proxy tests.</summary>
public static class ProxyAssert
{
    /// <summary>The answer is <paramref name="status"/> problem+json naming exactly <paramref name="fields"/> (in any order).</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fields)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        if (fields.Length > 0)
        {
            var named = problem.GetProperty("invalid_parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString() ?? "").ToHashSet();
            Assert.True(fields.ToHashSet().SetEquals(named), $"Expected fields [{string.Join(", ", fields)}], got [{string.Join(", ", named)}]: {text}");
        }

        return problem;
    }

    /// <summary>The answer is <paramref name="status"/> with a JSON body.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonSerializer.Deserialize<JsonElement>(text);
    }

    public static JsonContent Json(object value) => JsonContent.Create(value);

    public static StringContent RawJson(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
