using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace WabaOrchestrator.Sandbox.Templates;

/// <summary>
/// Opaque paging cursors. A cursor names a template id, and pages are taken relative to that id
/// (not to an offset), so inserting or deleting templates never makes a page skip or repeat one.
/// </summary>
internal static class TemplateCursor
{
    private const string Prefix = "tpl:";

    public static string For(Template template) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Prefix + template.Id));

    public static bool TryDecode(string cursor, out long templateId)
    {
        templateId = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            return text.StartsWith(Prefix, StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out templateId);
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
