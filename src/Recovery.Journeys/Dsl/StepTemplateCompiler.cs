using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>Compiles one step's templates, turning a template error into one that names the journey, step and field.</summary>
internal sealed class StepTemplateCompiler(string journeyName, string stepId, ITemplateEngine engine, TemplateModelShape shape, string? variant = null)
{
    public ICompiledTemplate Compile(string field, string source, TemplateFormat format, bool allowRawHtml = false)
    {
        try
        {
            var template = engine.Compile(source, format, shape, allowRawHtml);
            if (template is not SubstitutionTemplate { IsConstant: true })
            {
                ModelTemplates++;
            }

            return template;
        }
        catch (TemplateException e)
        {
            var where = variant is null ? field : $"{field} ({variant} variant)";
            throw new JourneyDefinitionException(journeyName, stepId, $"the {where} template is invalid: {e.Message}", e);
        }
    }

    /// <summary>How many of the templates compiled so far read their model (any but the built-in engine's text alone).</summary>
    public int ModelTemplates { get; private set; }

    public ICompiledTemplate? CompileOptional(string field, string? source, TemplateFormat format, bool allowRawHtml = false) =>
        source is null ? null : Compile(field, source, format, allowRawHtml);

    public StepTemplateCompiler ForVariant(string culture) => new(journeyName, stepId, engine, shape, culture);

    /// <summary>Makes the compiler of a given step.</summary>
    public delegate StepTemplateCompiler Factory(string stepId);
}
