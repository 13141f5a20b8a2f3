using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NodaTime;
using Recovery.Journeys.Runtime;
using Recovery.Journeys.Testing;

namespace Recovery.Journeys.AspNetCore.Tests.Fixtures;

/// <summary>
/// samples/ShopWeb on a fresh SQLite file with a few days of seeded history. Requests come from the loopback unless
/// they carry <see cref="DashboardHost.RemoteHeader"/> (a test server has no addresses of its own).
/// </summary>
public sealed class ShopWebFactory : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("shopweb-").FullName;

    public string Database => Path.Combine(_directory, "shop.db");

    /// <summary>How many days of history the app seeds.</summary>
    public int SeedDays { get; init; } = 3;

    /// <summary>Whether requests get addresses (loopback, or remote with the header); off for a real server.</summary>
    public bool SetAddresses { get; init; } = true;

    /// <summary>Whether the app registers its sample events for previews; without them previews use the last real event, masked.</summary>
    public bool PreviewSamples { get; init; } = true;

    /// <summary>
    /// The app's clock, or <see langword="null"/> for the system's. With one, the hosted worker is removed: the tests
    /// run the due steps themselves (<see cref="RunUntilAsync"/>), as the worker would race them for the claims.
    /// </summary>
    public FakeClock? Clock { get; init; }

    /// <summary>Moves <see cref="Clock"/> to <paramref name="until"/>, running every step due on the way.</summary>
    public async Task RunUntilAsync(Instant until)
    {
        var clock = Clock ?? throw new InvalidOperationException("The factory has no fake clock.");
        var engine = Services.GetRequiredService<JourneyEngine>();
        while (await engine.GetNextWakeUpAsync() is { } next && next <= until)
        {
            if (next > clock.Now)
            {
                clock.Advance(next - clock.Now);
            }

            if (await engine.RunDueAsync() == 0)
            {
                break;
            }
        }

        if (until > clock.Now)
        {
            clock.Advance(until - clock.Now);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ShopWeb:Database", Database);
        builder.UseSetting("ShopWeb:SeedDays", SeedDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("ShopWeb:PreviewSamples", PreviewSamples ? "true" : "false");
        if (Clock is { } clock)
        {
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton<TimeProvider>(clock);
                foreach (var worker in services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType?.Name == "JourneyWorker").ToList())
                {
                    services.Remove(worker);
                }
            });
        }

        if (SetAddresses)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter>(new Addresses()));
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Addresses : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, then) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers.ContainsKey(DashboardHost.RemoteHeader) ? IPAddress.Parse("203.0.113.7") : IPAddress.Loopback;
                return then(context);
            });
            next(app);
        };
    }
}
