using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WabaOrchestrator.Api.Proxies;

namespace WabaOrchestrator.Api.Tests.Proxies;

/// <summary>The byte-level rewrite of a relayed page: only the root's paging links change.</summary>
public sealed class TemplatePagingLinksTests
{
    private const string Vonage = "https://api.nexmo.com/v2/whatsapp-manager/wabas/123/templates";

    [Fact]
    public void Rewrite_ReplacesOnlyTheRootPagingLinks_AndCopiesEverythingElseByteForByte()
    {
        var templates = """[{"id":"1","name":"a","paging":{"next":"keep-me"},"field_vonage_added_later":{"x":[1,2]}}]""";
        var page = $$"""{"templates":{{templates}},"paging":{"cursors":{"before":"B","after":"A"},"next":"{{Vonage}}?after=A&limit=2","previous":"{{Vonage}}?before=B&limit=2"},"tail":true}""";

        var rewritten = Rewrite(page, "?limit=2&status=APPROVED&code=secret");

        Assert.StartsWith("""{"templates":""" + templates + ",", rewritten, StringComparison.Ordinal);
        Assert.EndsWith(""","tail":true}""", rewritten, StringComparison.Ordinal);
        Assert.Contains("templates?limit=2&after=A", rewritten, StringComparison.Ordinal);
        var paging = JsonDocument.Parse(rewritten).RootElement.GetProperty("paging");
        Assert.Equal("http://waba.test/api/wabas/123/templates?limit=2&after=A&status=APPROVED", paging.GetProperty("next").GetString());
        Assert.Equal("http://waba.test/api/wabas/123/templates?limit=2&before=B&status=APPROVED", paging.GetProperty("previous").GetString());
        Assert.Equal("A", paging.GetProperty("cursors").GetProperty("after").GetString());
    }

    [Theory]
    [InlineData("""{"templates":[]}""")]
    [InlineData("""{"templates":[],"paging":null}""")]
    [InlineData("""[{"paging":{"next":"x"}}]""")]
    public void Rewrite_WithoutARootPagingObject_ReturnsThePageUntouched(string page) =>
        Assert.Equal(page, Rewrite(page, ""));

    [Fact]
    public void Rewrite_EmptyOrMissingLinks_StayAsVonageSentThem()
    {
        var rewritten = JsonDocument.Parse(Rewrite("""{"templates":[],"paging":{"next":"","cursors":{"after":"A"}}}""", "")).RootElement.GetProperty("paging");

        Assert.Equal("", rewritten.GetProperty("next").GetString());
        Assert.False(rewritten.TryGetProperty("previous", out _));
    }

    private static string Rewrite(string page, string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("waba.test");
        context.Request.Path = "/api/wabas/123/templates";
        context.Request.QueryString = new QueryString(query);
        return Encoding.UTF8.GetString(TemplatePagingLinks.Rewrite(Encoding.UTF8.GetBytes(page), context.Request).Span);
    }
}
