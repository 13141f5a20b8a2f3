using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Ports;

/// <summary>A compiled template, rendered once per send.</summary>
/// <remarks>
/// Made by an <see cref="ITemplateEngine"/> when a journey is built and kept by the definition for its lifetime:
/// <see cref="Render"/> is called concurrently for every send and must be thread-safe and free of shared state. A
/// throw fails the send for good (it would throw again), recorded as "rendering failed" on the timeline.
/// </remarks>
public interface ICompiledTemplate
{
    /// <summary>Renders the template for one send.</summary>
    /// <param name="model">The values of this send.</param>
    /// <returns>The rendered text.</returns>
    string Render(TemplateModel model);
}
