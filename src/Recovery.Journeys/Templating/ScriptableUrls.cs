using System.Net;

namespace Recovery.Journeys.Templating;

/// <summary>
/// Recognises the URLs that run code when a mail client or browser follows or loads them: schemes <c>javascript:</c>,
/// <c>vbscript:</c> and <c>data:</c>, read as a browser reads them (case-insensitive, after leading spaces and control
/// characters, ignoring tabs and line breaks anywhere, HTML entities decoded).
/// </summary>
internal static class ScriptableUrls
{
    private const int LongestScheme = 10;

    /// <summary>What replaces a scriptable URL in the attribute <paramref name="attribute"/>: a link goes nowhere, a source loads nothing.</summary>
    public static string ReplacementFor(string attribute) => attribute == "src" ? "about:blank" : "#";

    /// <summary>Whether an attribute value as written in HTML (entities not decoded) is a scriptable URL.</summary>
    public static bool IsScriptableHtml(string html) =>
        IsScriptable(html.Contains('&', StringComparison.Ordinal) ? WebUtility.HtmlDecode(html) : html);

    /// <summary>Whether a URL (entities already decoded) has a scriptable scheme.</summary>
    public static bool IsScriptable(ReadOnlySpan<char> url)
    {
        var i = 0;
        while (i < url.Length && url[i] <= ' ')
        {
            i++;
        }

        Span<char> scheme = stackalloc char[LongestScheme];
        var length = 0;
        for (; i < url.Length; i++)
        {
            var c = url[i];
            switch (c)
            {
                case '\t' or '\n' or '\r':
                    continue;
                case ':':
                    return scheme[..length] is "javascript" or "vbscript" or "data";
                case '/' or '?' or '#':
                    // A path, query or fragment first: a relative URL, without a scheme.
                    return false;
                case '&':
                    // An entity the decoder does not know (HTML5's &colon;, &Tab;) may hide the scheme: not provably
                    // harmless. A real URL has no '&' before its scheme's ':' or its path's first '/'.
                    return true;
            }

            if (length == LongestScheme)
            {
                return false;
            }

            scheme[length++] = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
        }

        return false;
    }
}
