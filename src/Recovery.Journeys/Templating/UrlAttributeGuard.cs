using System.Text;
using HandlebarsDotNet;

namespace Recovery.Journeys.Templating;

/// <summary>
/// The Handlebars side of the URL check: the value of every <see cref="UrlAttribute"/> is wrapped in a block of this
/// internal helper before Handlebars compiles the template (<c>href="{{#guard "href"}}{{values.link}}{{/guard}}"</c>),
/// which renders the value and writes <c>#</c> or <c>about:blank</c> instead when it is a scriptable URL.
/// </summary>
/// <remarks>
/// The helper sees the whole value as rendered, however many tags and blocks make it. Templates cannot call it:
/// <see cref="TemplateFieldChecker"/> does not know its name, and custom helpers cannot take it.
/// </remarks>
internal static class UrlAttributeGuard
{
    public const string HelperName = "_recoveryJourneysUrlAttribute";

    /// <summary>The template with the value of each attribute wrapped in the helper's block.</summary>
    public static string Wrap(string source, IReadOnlyList<UrlAttribute> attributes)
    {
        var wrapped = new StringBuilder(source);
        foreach (var attribute in attributes.Where(a => a.Balanced).OrderByDescending(a => a.ValueStart))
        {
            wrapped.Insert(attribute.ValueEnd, $"{{{{/{HelperName}}}}}");
            wrapped.Insert(attribute.ValueStart, $"{{{{#{HelperName} \"{attribute.Name}\"}}}}");
        }

        return wrapped.ToString();
    }

    /// <summary>The helper: writes the block's output, already HTML as the template writes it, or the attribute's replacement.</summary>
    public static void Write(EncodedTextWriter output, BlockHelperOptions options, Context context, Arguments arguments)
    {
        var value = options.Template();
        var attribute = arguments[0] as string ?? "href";
        output.Write(ScriptableUrls.IsScriptableHtml(value) ? ScriptableUrls.ReplacementFor(attribute) : value, false);
    }
}
