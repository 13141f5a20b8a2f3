using AotHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

// A generic host with one journey, published with native AOT: the trigger is kept as JSON through the host's
// source-generated context, a push goes out a second after the abandonment, and the host stops.
var journey = Journey.When<CheckoutAbandoned>()
    .Named("checkout-recovery")
    .CorrelateBy(e => e.OrderId)
    .ForCustomer(e => e.Customer)
    .ExitWhen<OrderPaid>(e => e.OrderId)
    .AfterStart(TimeSpan.FromSeconds(1)).Push(p => p.Body("{{customer.name}}, order {{event.OrderId}} is waiting for you."))
    .Build();

var channel = new ConsoleChannel();
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddRecoveryJourneys(j => j
    .AddJourney(journey)
    .AddChannel(channel)
    .ConfigureEngine(engine => engine.EventSerializerOptions = JourneyJson.CreateOptions(AotJsonContext.Default)));

using var host = builder.Build();
await host.StartAsync();
var published = await host.Services.GetRequiredService<JourneyEngine>()
    .PublishAsync(new CheckoutAbandoned("A-1001", new Customer("c-1") { Name = "Ana", PushToken = "token-1" }));
Console.WriteLine($"published: {published.Started.Count} instance started");

var sent = await channel.FirstSent.WaitAsync(TimeSpan.FromSeconds(30));
await host.StopAsync();
return sent.Message.Body == "Ana, order A-1001 is waiting for you." ? 0 : 1;
