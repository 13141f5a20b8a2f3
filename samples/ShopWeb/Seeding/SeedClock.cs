namespace ShopWeb.Seeding;

/// <summary>The seeder's clock: it walks from a month ago to now, so the seeded instances carry real-looking times.</summary>
internal sealed class SeedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}
