using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Ports;

/// <summary>A compiled template, rendered once per send. Thread-safe.</summary>
public interface ICompiledTemplate
{
    /// <summary>Renders the template for one send.</summary>
    /// <param name="model">The values of this send.</param>
    /// <returns>The rendered text.</returns>
    string Render(TemplateModel model);
}
