using Recovery.Journeys.Definition;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Runtime.Steps;

/// <summary>Makes what a template sees for one send on one channel: the event, the customer, computed values, content, coupon.</summary>
/// <typeparam name="TEvent">The journey's trigger event type.</typeparam>
internal interface ITemplateModels<TEvent>
{
    /// <summary>The model for one send; the journey's computed values run here, once per send.</summary>
    TemplateModel Create(StepContext<TEvent> context, string channel);
}
