using System.Buffers;
using System.Net;
using System.Text;

namespace Recovery.Journeys.Templating;

/// <summary>
/// Recognises the URLs that run code when a mail client or browser follows or loads them: schemes <c>javascript:</c>,
/// <c>vbscript:</c> and <c>data:</c>, read as a browser reads them (case-insensitive, after leading spaces and control
/// characters, ignoring tabs and line breaks anywhere, HTML entities decoded).
/// </summary>
internal static class ScriptableUrls
{
    /// <summary>What ends a scheme (<c>:</c>), shows there is none (<c>/ ? #</c>), or needs a closer look.</summary>
    private static readonly SearchValues<char> SchemeEnds = SearchValues.Create(":/?#&\t\n\r");

    /// <summary>What replaces a scriptable URL in the attribute <paramref name="attribute"/>: a link goes nowhere, a source loads nothing.</summary>
    public static string ReplacementFor(string attribute) => attribute == "src" ? "about:blank" : "#";

    /// <summary>Whether an attribute value as written in HTML (entities not decoded) is a scriptable URL.</summary>
    public static bool IsScriptableHtml(string html) =>
        IsScriptable(html.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(html) : html);

    /// <summary>Whether a URL (entities already decoded) has a scriptable scheme.</summary>
    public static bool IsScriptable(ReadOnlySpan<char> url)
    {
        // Most URLs show at once that their scheme is none of the three (https:, /, ...): no named entity
        // decodes to an ASCII letter, and blanks and tabs are below ' '.
        if (url.IsEmpty || (url[0] > ' ' && url[0] != '&' && (url[0] | 0x20) is not ('j' or 'v' or 'd')))
        {
            return false;
        }

        var end = url.IndexOfAny(SchemeEnds);
        if (end < 0)
        {
            return false;
        }

        switch (url[end])
        {
            case '\t' or '\n' or '\r':
                // Browsers drop them anywhere in a URL: "java\tscript:" is "javascript:".
                return IsScriptable(url.ToString().Replace("\t", null, StringComparison.Ordinal).Replace("\n", null, StringComparison.Ordinal).Replace("\r", null, StringComparison.Ordinal));
            case '&':
                // An entity the decoder does not know (HTML5's &colon;, &Tab;) may hide the scheme: not provably
                // harmless. A real URL has no '&' before its scheme's ':' or its path's first '/'.
                return true;
            case ':':
                var start = 0;
                while (start < end && url[start] <= ' ')
                {
                    start++;
                }

                var scheme = url[start..end];
                return Ascii.EqualsIgnoreCase(scheme, "javascript") || Ascii.EqualsIgnoreCase(scheme, "vbscript") || Ascii.EqualsIgnoreCase(scheme, "data");
            default:
                // A path, query or fragment first: a relative URL, without a scheme.
                return false;
        }
    }
}
