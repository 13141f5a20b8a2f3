using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Scheduling;
using Recovery.Journeys.Timing;

namespace Recovery.Journeys.Hosting;

/// <summary>Configures Recovery.Journeys inside <c>services.AddRecoveryJourneys(journeys =&gt; ...)</c>.</summary>
public sealed class RecoveryJourneysBuilder
{
    internal RecoveryJourneysBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for adapter packages that add their own registrations.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds a journey definition. Several versions of one journey may be added.</summary>
    /// <param name="journey">The definition.</param>
    public RecoveryJourneysBuilder AddJourney(JourneyDefinition journey)
    {
        ArgumentNullException.ThrowIfNull(journey);
        Services.AddSingleton(journey);
        return this;
    }

    /// <summary>Registers the channel that sends <typeparamref name="TMessage"/>, created by the container as a singleton.</summary>
    /// <typeparam name="TMessage">The message kind (<see cref="PushMessage"/>, <see cref="EmailMessage"/>, ...).</typeparam>
    /// <typeparam name="TChannel">The host's channel.</typeparam>
    public RecoveryJourneysBuilder AddChannel<TMessage, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TChannel>()
        where TMessage : class
        where TChannel : class, IChannel<TMessage>
    {
        Services.Replace(ServiceDescriptor.Singleton<IChannel<TMessage>, TChannel>());
        return this;
    }

    /// <summary>Registers a channel instance that sends <typeparamref name="TMessage"/>.</summary>
    /// <typeparam name="TMessage">The message kind.</typeparam>
    /// <param name="channel">The channel.</param>
    public RecoveryJourneysBuilder AddChannel<TMessage>(IChannel<TMessage> channel)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(channel);
        Services.Replace(ServiceDescriptor.Singleton(channel));
        return this;
    }

    /// <summary>Uses another store than the in-memory default (adapter packages call this).</summary>
    /// <remarks>
    /// When the store also implements <see cref="IJourneyWakeUpSource"/>, the in-process scheduler listens to it, so work
    /// that other processes write to the store wakes it at once.
    /// </remarks>
    /// <param name="factory">Creates the store once.</param>
    public RecoveryJourneysBuilder UseStore(Func<IServiceProvider, IJourneyStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Uses another scheduler than the in-process default (adapter packages call this).</summary>
    /// <param name="factory">Creates the scheduler once.</param>
    public RecoveryJourneysBuilder UseScheduler(Func<IServiceProvider, IJourneyScheduler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Registers the host's customer directory, created by the container as a singleton, for journeys that name their customer by id.</summary>
    /// <typeparam name="TDirectory">The directory.</typeparam>
    public RecoveryJourneysBuilder UseCustomerDirectory<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TDirectory>()
        where TDirectory : class, ICustomerDirectory
    {
        Services.Replace(ServiceDescriptor.Singleton<ICustomerDirectory, TDirectory>());
        return this;
    }

    /// <summary>Registers a customer directory instance, for journeys that name their customer by id.</summary>
    /// <param name="directory">The directory.</param>
    public RecoveryJourneysBuilder UseCustomerDirectory(ICustomerDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        Services.Replace(ServiceDescriptor.Singleton(directory));
        return this;
    }

    /// <summary>Registers the host's consent checker, created by the container as a singleton, consulted before every send.</summary>
    /// <typeparam name="TChecker">The checker.</typeparam>
    public RecoveryJourneysBuilder UseConsent<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TChecker>()
        where TChecker : class, IConsentChecker
    {
        Services.Replace(ServiceDescriptor.Singleton<IConsentChecker, TChecker>());
        return this;
    }

    /// <summary>Registers a consent checker instance, consulted before every send.</summary>
    /// <param name="checker">The checker.</param>
    public RecoveryJourneysBuilder UseConsent(IConsentChecker checker)
    {
        ArgumentNullException.ThrowIfNull(checker);
        Services.Replace(ServiceDescriptor.Singleton(checker));
        return this;
    }

    /// <summary>Registers a content provider under the name journeys fetch it by (<c>.Fetch("stock")</c>).</summary>
    /// <param name="name">The name.</param>
    /// <param name="provider">The provider.</param>
    public RecoveryJourneysBuilder AddContentProvider(string name, IContentProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return AddContentProvider(name, _ => provider);
    }

    /// <summary>Registers a content provider, created by the container, under the name journeys fetch it by.</summary>
    /// <typeparam name="TProvider">The provider.</typeparam>
    /// <param name="name">The name.</param>
    public RecoveryJourneysBuilder AddContentProvider<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TProvider>(string name)
        where TProvider : class, IContentProvider =>
        AddContentProvider(name, sp => ActivatorUtilities.GetServiceOrCreateInstance<TProvider>(sp));

    /// <summary>Signs unsubscribe links for <c>{{unsubscribeUrl}}</c>; check them in your endpoint with <see cref="UnsubscribeLinks.TryVerify"/>.</summary>
    /// <param name="baseUrl">Your unsubscribe endpoint.</param>
    /// <param name="signingKey">A secret of at least 32 bytes.</param>
    public RecoveryJourneysBuilder UseUnsubscribeLinks(Uri baseUrl, byte[] signingKey)
    {
        Services.Replace(ServiceDescriptor.Singleton(new UnsubscribeLinks(baseUrl, signingKey)));
        return this;
    }

    /// <summary>
    /// Registers the host's coupon service, created by the container as a singleton, which issues, changes and revokes
    /// the codes its checkout accepts.
    /// </summary>
    /// <typeparam name="TService">The service.</typeparam>
    public RecoveryJourneysBuilder UseCouponService<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>()
        where TService : class, ICouponService
    {
        Services.Replace(ServiceDescriptor.Singleton<ICouponService, TService>());
        return this;
    }

    /// <summary>Registers a coupon service instance, which issues, changes and revokes the codes the host's checkout accepts.</summary>
    /// <param name="service">The service.</param>
    public RecoveryJourneysBuilder UseCouponService(ICouponService service)
    {
        ArgumentNullException.ThrowIfNull(service);
        Services.Replace(ServiceDescriptor.Singleton(service));
        return this;
    }

    /// <summary>
    /// Registers where the engine learns when customers were last active, created by the container as a singleton, for
    /// journeys that <c>WaitWhileActive</c>.
    /// </summary>
    /// <typeparam name="TActivity">The source.</typeparam>
    public RecoveryJourneysBuilder UseCustomerActivity<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TActivity>()
        where TActivity : class, ICustomerActivity
    {
        Services.Replace(ServiceDescriptor.Singleton<ICustomerActivity, TActivity>());
        return this;
    }

    /// <summary>Registers where the engine learns when customers were last active, for journeys that <c>WaitWhileActive</c>.</summary>
    /// <param name="activity">The source, e.g. a <see cref="CustomerActivityTracker"/> fed by the host.</param>
    public RecoveryJourneysBuilder UseCustomerActivity(ICustomerActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        Services.Replace(ServiceDescriptor.Singleton(activity));
        return this;
    }

    /// <summary>Changes the engine's settings.</summary>
    /// <param name="configure">Changes the options.</param>
    public RecoveryJourneysBuilder ConfigureEngine(Action<JourneyEngineOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    private RecoveryJourneysBuilder AddContentProvider(string name, Func<IServiceProvider, IContentProvider> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (Services.Any(d => d.ServiceType == typeof(ContentProviderRegistration) && d.ImplementationInstance is ContentProviderRegistration r && r.Name == name))
        {
            throw new ArgumentException($"A content provider named '{name}' is already registered.", nameof(name));
        }

        Services.AddSingleton(new ContentProviderRegistration(name, factory));
        return this;
    }

    /// <summary>Changes the in-process scheduler's settings.</summary>
    /// <param name="configure">Changes the options.</param>
    public RecoveryJourneysBuilder ConfigureScheduler(Action<InProcessSchedulerOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }
}

/// <summary>A content provider registered under a name.</summary>
internal sealed record ContentProviderRegistration(string Name, Func<IServiceProvider, IContentProvider> Factory);
