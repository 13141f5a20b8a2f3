using Recovery.Journeys.Definition;
using Recovery.Journeys.Runtime.Steps;

namespace Recovery.Journeys.Runtime;

/// <summary>Checks, when the engine starts, that every journey can run with the host's services.</summary>
internal static class StartupCheck
{
    /// <exception cref="JourneyDefinitionException">A journey needs a service the host did not register.</exception>
    public static void Run(IEnumerable<JourneyDefinition> journeys, JourneyHostServices host, ChannelSenders senders)
    {
        foreach (var journey in journeys)
        {
            if (journey.NamesCustomerById && host.Customers is null)
            {
                throw new JourneyDefinitionException(journey.Name, null, "it names its customer by id (ForCustomerId) but no ICustomerDirectory is registered");
            }

            if (journey.ActivityQuietPeriod is not null && host.Activity is null)
            {
                throw new JourneyDefinitionException(journey.Name, null, "it waits while the customer is active (WaitWhileActive) but no ICustomerActivity is registered");
            }

            if (journey.Content.FirstOrDefault(c => !host.Content.ContainsKey(c.Name)).Name is { } missing)
            {
                throw new JourneyDefinitionException(journey.Name, null, $"it fetches '{missing}' but no content provider of that name is registered");
            }

            foreach (var step in journey.Steps.OfType<ChannelStep>())
            {
                if (step.Parts.FirstOrDefault(p => senders.For(p.MessageType) is null) is { } unsent)
                {
                    var type = unsent.MessageType.Name;
                    throw new JourneyDefinitionException(journey.Name, step.Id, $"it sends {type} but no IChannel<{type}> is registered");
                }
            }
        }
    }
}
