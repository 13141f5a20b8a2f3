namespace Recovery.Journeys.Templating;

/// <summary>What a piece of a template is, as <see cref="TemplateScanner"/> reads the Handlebars syntax.</summary>
internal enum TemplateTokenKind
{
    /// <summary>Literal text, written as it is.</summary>
    Text,

    /// <summary><c>{{! ... }}</c> or <c>{{!-- ... --}}</c>: writes nothing.</summary>
    Comment,

    /// <summary><c>{{path}}</c> or <c>{{helper arguments}}</c>: a value, HTML-escaped in HTML templates.</summary>
    Value,

    /// <summary><c>{{{path}}}</c>: a value written unescaped, as raw HTML.</summary>
    RawValue,

    /// <summary><c>{{#helper arguments}}</c>, or <c>{{^path}}</c> (an inverted section): opens a block.</summary>
    Block,

    /// <summary><c>{{else}}</c>, <c>{{else if ...}}</c> or <c>{{^}}</c>: the inverse part of the enclosing block.</summary>
    Else,

    /// <summary><c>{{/helper}}</c>: closes a block.</summary>
    Close,

    /// <summary><c>{{> name}}</c>: includes a partial.</summary>
    Partial,

    /// <summary><c>{{#> name}}fallback{{/name}}</c>: includes a partial, with content for when it is missing; opens a block.</summary>
    PartialBlock,

    /// <summary><c>{{#*inline "name"}}...{{/inline}}</c>: defines a partial for this template; opens a block.</summary>
    InlinePartial,

    /// <summary><c>{{* name}}</c>, or <c>{{#* name}}</c> (which opens a block): a decorator other than <c>inline</c>.</summary>
    Decorator,

    /// <summary><c>{{{{name}}}}</c>: a raw block, whose content Handlebars does not parse.</summary>
    RawBlock,
}
