using Microsoft.Extensions.DependencyInjection;
using Recovery.Journeys.Ports;

namespace Recovery.Journeys.Hosting;

/// <summary>Resolves channels from the container, where <c>AddChannel</c> registered them.</summary>
internal sealed class ServiceProviderChannelResolver(IServiceProvider services) : IChannelResolver
{
    public IChannel<TMessage>? Resolve<TMessage>()
        where TMessage : class => services.GetService<IChannel<TMessage>>();
}
