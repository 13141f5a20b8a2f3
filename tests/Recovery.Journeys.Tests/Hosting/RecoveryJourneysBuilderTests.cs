using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Coupons;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Definition;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Hosting;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;
using Recovery.Journeys.Testing;
using Recovery.Journeys.Tests.Fixtures;

namespace Recovery.Journeys.Tests;

/// <summary>Each host service the builder registers has a generic form (created by the container) and an instance form.</summary>
public sealed class RecoveryJourneysBuilderTests
{
    public static TheoryData<string> Services => new() { nameof(ICustomerDirectory), nameof(IConsentChecker), nameof(ICouponService), nameof(ICustomerActivity) };

    [Theory]
    [MemberData(nameof(Services))]
    public void GenericForm_RegistersASingletonTheContainerCreates(string service)
    {
        using var provider = new ServiceCollection().AddRecoveryJourneys(j => UseGeneric(j, service)).BuildServiceProvider();

        var first = provider.GetRequiredService(TypeOf(service));

        first.Should().BeOfType<HostServices>();
        provider.GetRequiredService(TypeOf(service)).Should().BeSameAs(first);
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void InstanceForm_RegistersThatInstance_ReplacingAnEarlierRegistration(string service)
    {
        var instance = new HostServices();
        var services = new ServiceCollection().AddRecoveryJourneys(j => UseInstance(UseGeneric(j, service), service, instance));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService(TypeOf(service)).Should().BeSameAs(instance);
        services.Count(d => d.ServiceType == TypeOf(service)).Should().Be(1);
    }

    [Fact]
    public async Task UseConsent_Instance_IsConsultedByTheEngine()
    {
        var clock = new FakeClock();
        var consent = new HostServices();
        var pushes = new RecordingChannels(clock);
        using var provider = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddRecoveryJourneys(j => j
                .AddJourney(Journey.When<CheckoutAbandoned>().Named("consent").CorrelateBy(e => e.OrderId).ForCustomer(e => e.Customer).Push(p => p.Body("Bonjour")).Build())
                .AddChannel<PushMessage>(pushes.Resolve<PushMessage>())
                .UseConsent(consent))
            .BuildServiceProvider();
        var engine = provider.GetRequiredService<JourneyEngine>();

        await engine.PublishAsync(new CheckoutAbandoned("order-1", new Customer("customer-1") { PushToken = "token" }, 10m, 45, []));
        await engine.RunDueAsync();

        consent.ConsentAsked.Should().Be(1);
        pushes.Sent.Should().BeEmpty("the customer did not consent");
    }

    private static Type TypeOf(string service) => service switch
    {
        nameof(ICustomerDirectory) => typeof(ICustomerDirectory),
        nameof(IConsentChecker) => typeof(IConsentChecker),
        nameof(ICouponService) => typeof(ICouponService),
        _ => typeof(ICustomerActivity),
    };

    private static Hosting.RecoveryJourneysBuilder UseGeneric(Hosting.RecoveryJourneysBuilder journeys, string service) => service switch
    {
        nameof(ICustomerDirectory) => journeys.UseCustomerDirectory<HostServices>(),
        nameof(IConsentChecker) => journeys.UseConsent<HostServices>(),
        nameof(ICouponService) => journeys.UseCouponService<HostServices>(),
        _ => journeys.UseCustomerActivity<HostServices>(),
    };

    private static Hosting.RecoveryJourneysBuilder UseInstance(Hosting.RecoveryJourneysBuilder journeys, string service, HostServices instance) => service switch
    {
        nameof(ICustomerDirectory) => journeys.UseCustomerDirectory(instance),
        nameof(IConsentChecker) => journeys.UseConsent(instance),
        nameof(ICouponService) => journeys.UseCouponService(instance),
        _ => journeys.UseCustomerActivity(instance),
    };

    /// <summary>Every host service at once: a directory that knows nobody, a customer who never consents, ...</summary>
    private sealed class HostServices : ICustomerDirectory, IConsentChecker, ICouponService, ICustomerActivity
    {
        private int _consentAsked;

        public int ConsentAsked => Volatile.Read(ref _consentAsked);

        public ValueTask<Customer?> FindAsync(string customerId, CancellationToken cancellationToken) => ValueTask.FromResult<Customer?>(null);

        public ValueTask<bool> MayContactAsync(Customer customer, string channel, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _consentAsked);
            return ValueTask.FromResult(false);
        }

        public ValueTask<string> IssueAsync(CouponRequest request, CancellationToken cancellationToken) => ValueTask.FromResult("CODE");

        public ValueTask ChangeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask RevokeAsync(Coupon coupon, string idempotencyKey, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<Instant?> LastActiveAtAsync(string customerId, CancellationToken cancellationToken) => ValueTask.FromResult<Instant?>(null);
    }
}
