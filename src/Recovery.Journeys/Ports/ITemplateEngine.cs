using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Ports;

/// <summary>
/// Compiles message templates. The default is <see cref="HandlebarsTemplateEngine"/>; a host can plug another
/// engine by passing it to <c>JourneyBuilder.Build(ITemplateEngine)</c>.
/// </summary>
/// <remarks>
/// Called at <c>Build()</c>, once per template field, never while journeys run. A template it cannot compile, or that
/// reads a field the model does not have (see <see cref="TemplateModelShape"/>), must throw a
/// <see cref="TemplateException"/>: the builder turns it into a <c>JourneyDefinitionException</c> naming the journey,
/// the step and the field. HTML templates must escape model values.
/// </remarks>
public interface ITemplateEngine
{
    /// <summary>Compiles a template once, checking its syntax and every field it references against the model's shape.</summary>
    /// <param name="source">The template text.</param>
    /// <param name="format">Whether values are HTML-escaped (<see cref="TemplateFormat.Html"/>) or written as they are.</param>
    /// <param name="shape">The fields a template of this journey can reference.</param>
    /// <returns>A thread-safe compiled template.</returns>
    /// <exception cref="TemplateException">The template has a syntax error or references a field the model does not have.</exception>
    ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape);

    /// <summary>
    /// Compiles a template as <see cref="Compile(string, TemplateFormat, TemplateModelShape)"/> does, for a field whose
    /// author allowed it to write values as raw, unescaped HTML (<c>EmailMessageBuilder.AllowRawHtml()</c>). The
    /// default ignores <paramref name="allowRawHtml"/>: an engine without unescaped output has nothing to allow.
    /// </summary>
    /// <param name="source">The template text.</param>
    /// <param name="format">Whether values are HTML-escaped (<see cref="TemplateFormat.Html"/>) or written as they are.</param>
    /// <param name="shape">The fields a template of this journey can reference.</param>
    /// <param name="allowRawHtml">Whether an HTML template may write values unescaped (<c>{{{...}}}</c> in Handlebars).</param>
    /// <returns>A thread-safe compiled template.</returns>
    /// <exception cref="TemplateException">The template is invalid.</exception>
    ICompiledTemplate Compile(string source, TemplateFormat format, TemplateModelShape shape, bool allowRawHtml) =>
        Compile(source, format, shape);
}
