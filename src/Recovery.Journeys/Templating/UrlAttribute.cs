namespace Recovery.Journeys.Templating;

/// <summary>
/// The value of an <c>href</c> or <c>src</c> attribute of an HTML template that holds tags, so the URL's scheme can
/// come from the model: <c>&lt;img src="{{ImageUrl}}"&gt;</c>. Found by <see cref="HtmlUrlAttributes"/>.
/// </summary>
/// <param name="Name">The attribute, <c>href</c> or <c>src</c>, in lower case.</param>
/// <param name="ValueStart">Where the value starts in the source: after the opening quote.</param>
/// <param name="ValueEnd">Where it ends: at the closing quote (exclusive).</param>
/// <param name="Line">The line the value starts on.</param>
/// <param name="Balanced">Whether every block opened in the value also closes in it, so the value can be wrapped in a block of its own.</param>
internal sealed record UrlAttribute(string Name, int ValueStart, int ValueEnd, int Line, bool Balanced)
{
    /// <summary>What a value with a scriptable scheme is replaced by: <c>#</c> in a link, <c>about:blank</c> in a source.</summary>
    public string Replacement => ScriptableUrls.ReplacementFor(Name);
}
