using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

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

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ShopWeb:Database", Database);
        builder.UseSetting("ShopWeb:SeedDays", SeedDays.ToString(System.Globalization.CultureInfo.InvariantCulture));
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
