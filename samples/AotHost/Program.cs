using System.Security.Cryptography;
using AotHost;
using Recovery.Journeys.AspNetCore.Unsubscribe;
using Recovery.Journeys.Channels;
using Recovery.Journeys.Customers;
using Recovery.Journeys.Dsl;
using Recovery.Journeys.Ports;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Storage;

// A web host with one journey, published with native AOT: the trigger is kept as JSON through the host's
// source-generated context, a push goes out a second after the abandonment; then the host asks its own Kestrel
// (a loopback port) for the dashboard, the unsubscribe page, the JSON of the library's types and the health check,
// and exits with 1 when an answer is not the expected one.
var journey = Journey.When<CheckoutAbandoned>()
    .Named("checkout-recovery")
    .CorrelateBy(e => e.OrderId)
    .ForCustomer(e => e.Customer)
    .ExitWhen<OrderPaid>(e => e.OrderId)
    .AfterStart(TimeSpan.FromSeconds(1)).Push(p => p.Body("{{customer.name}}, order {{event.OrderId}} is waiting for you."))
    .Build();

var channel = new ConsoleChannel();
var unsubscriptions = new UnsubscribeRecorder();
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Services.AddRecoveryJourneys(j => j
    .AddJourney(journey)
    .AddChannel(channel)
    .UseUnsubscribeLinks(new Uri("http://127.0.0.1/unsubscribe"), SHA256.HashData("aot-host-secret"u8))
    .ConfigureEngine(engine => engine.EventSerializerOptions = JourneyJson.CreateOptions(AotJsonContext.Default)));
builder.Services.AddSingleton<IUnsubscribeHandler>(unsubscriptions);
builder.Services.AddRecoveryJourneysDashboard();
builder.Services.AddRecoveryJourneysJson();
builder.Services.AddHealthChecks().AddRecoveryJourneys();

await using var app = builder.Build();
app.MapRecoveryJourneysDashboard("/journeys");
app.MapRecoveryJourneysUnsubscribe("/unsubscribe");
app.MapHealthChecks("/health");
app.MapGet("/api/instances/{orderId}", (string orderId, JourneyEngine engine, CancellationToken cancellationToken) =>
    engine.FindInstancesAsync(new JourneyInstanceQuery(CorrelationKey: orderId), cancellationToken));

await app.StartAsync();
var published = await app.Services.GetRequiredService<JourneyEngine>()
    .PublishAsync(new CheckoutAbandoned("A-1001", new Customer("c-1") { Name = "Ana", PushToken = "token-1" }));
Console.WriteLine($"published: {published.Started.Count} instance started");

var sent = await channel.FirstSent.WaitAsync(TimeSpan.FromSeconds(30));
var failures = new List<string>();
if (sent.Message.Body != "Ana, order A-1001 is waiting for you.")
{
    failures.Add($"push: '{sent.Message.Body}'");
}

var link = app.Services.GetRequiredService<UnsubscribeLinks>().Create("c-1", "push");
failures.AddRange(await WebChecks.RunAsync(new Uri(app.Urls.First()), link, unsubscriptions));
await app.StopAsync();

foreach (var failure in failures)
{
    Console.Error.WriteLine("FAILED " + failure);
}

return failures.Count == 0 ? 0 : 1;
