namespace Recovery.Journeys.Templating;

/// <summary>One piece of a template: literal text, or a tag between braces with its expression.</summary>
/// <param name="Kind">What the piece is.</param>
/// <param name="Start">Where it starts in the source.</param>
/// <param name="End">Where it ends in the source (exclusive).</param>
/// <param name="Line">The line it starts on, from 1.</param>
/// <param name="Expression">A tag's expression, without its sigil (<c>#</c>, <c>/</c>, <c>&gt;</c>...); empty for text and comments.</param>
internal sealed record TemplateToken(TemplateTokenKind Kind, int Start, int End, int Line, TemplateExpression Expression)
{
    /// <summary>The tag as error messages quote it: <c>{{#each event.Items}}</c>, without whitespace control.</summary>
    public string Display { get; init; } = string.Empty;

    /// <summary>Text holding an escaped tag (<c>\{{not a tag}}</c>), which Handlebars writes without the backslash.</summary>
    public bool HasEscapedTag { get; init; }

    /// <summary>A tag with whitespace control (<c>{{~name~}}</c>), which strips the whitespace around it.</summary>
    public bool TrimsWhitespace { get; init; }

    /// <summary>A tag alone on its line, which Handlebars removes with the line's whitespace and break when it is a block tag.</summary>
    public bool StandsAlone { get; init; }

    /// <summary>An inverted section, <c>{{^name}}</c>, rather than a block helper's <c>{{#name}}</c>.</summary>
    public bool IsInverted { get; init; }

    /// <summary>Whether the tag opens a block that a <see cref="TemplateTokenKind.Close"/> tag ends.</summary>
    public bool OpensBlock { get; init; }
}
