using Npgsql;

namespace Recovery.Journeys.PostgreSql.Tests;

/// <summary>
/// The store's own pool prepares its statements and does not reset its connections, unless the connection string
/// says otherwise, in any spelling Npgsql reads.
/// </summary>
public sealed class PostgreSqlStorePoolSettingsTests
{
    [Fact]
    public void ForStorePool_ConnectionStringWithoutThem_SetsTheStoreDefaults()
    {
        var pool = new NpgsqlConnectionStringBuilder(PostgreSqlJourneyStore.ForStorePool("Host=db;Username=app"));

        pool.MaxAutoPrepare.Should().Be(32);
        pool.NoResetOnClose.Should().BeTrue();
        pool.Host.Should().Be("db");
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;NORESETONCLOSE=false")]
    [InlineData("Host=db; MaxAutoPrepare = 0 ; NoResetOnClose = false")]
    public void ForStorePool_ConnectionStringSettingThem_KeepsItsOwn(string connectionString)
    {
        var pool = new NpgsqlConnectionStringBuilder(PostgreSqlJourneyStore.ForStorePool(connectionString));

        pool.MaxAutoPrepare.Should().Be(0);
        pool.NoResetOnClose.Should().BeFalse();
    }
}
