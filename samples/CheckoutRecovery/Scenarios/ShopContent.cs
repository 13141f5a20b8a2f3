using Recovery.Journeys.Ports;

namespace CheckoutRecovery.Scenarios;

/// <summary>A product of the S2 shop.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Price">Its price, in the shop's currency.</param>
/// <param name="ImageUrl">Its picture.</param>
/// <param name="Stock">How many are left: 3 or fewer is real scarcity, worth saying.</param>
/// <param name="GoesWith">The name of the product that complements it (the cross-sell).</param>
public sealed record Product(string Name, decimal Price, string ImageUrl, int Stock, string GoesWith);

/// <summary>The product of a cart with the least stock left, when it is low enough to say so.</summary>
/// <param name="Product">The product's name.</param>
/// <param name="Left">How many are left.</param>
public sealed record LowStock(string Product, int Left);

/// <summary>
/// The S2 shop's catalogue and the two content providers its e-mails fetch at each send: <c>stock</c> (real scarcity:
/// the cart's product with 3 or fewer left, or nothing) and <c>crossSell</c> (the products that go with the cart's,
/// not already in it).
/// </summary>
public static class ShopContent
{
    /// <summary>At most this many left is scarcity.</summary>
    public const int LowStockThreshold = 3;

    /// <summary>The catalogue.</summary>
    public static IReadOnlyList<Product> Catalog { get; } =
    [
        new("Théière en fonte", 49.90m, "https://cdn.shop.example/img/theiere.jpg", 2, "Thé vert Sencha"),
        new("Thé vert Sencha", 12.50m, "https://cdn.shop.example/img/sencha.jpg", 140, "Tasses en grès (x2)"),
        new("Tasses en grès (x2)", 24.00m, "https://cdn.shop.example/img/tasses.jpg", 3, "Théière en fonte"),
        new("Moulin à café manuel", 39.00m, "https://cdn.shop.example/img/moulin.jpg", 25, "Café en grains, 1 kg"),
        new("Café en grains, 1 kg", 21.90m, "https://cdn.shop.example/img/cafe.jpg", 300, "Moulin à café manuel"),
        new("Cafetière à piston", 34.50m, "https://cdn.shop.example/img/piston.jpg", 1, "Café en grains, 1 kg"),
    ];

    /// <summary>The low-stock product of a cart, or <see langword="null"/>: what the <c>stock</c> provider answers.</summary>
    /// <param name="items">The cart's products.</param>
    public static LowStock? LowestStock(IEnumerable<Product> items) =>
        items.Where(p => p.Stock <= LowStockThreshold).OrderBy(p => p.Stock).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new LowStock(p.Name, p.Stock)).FirstOrDefault();

    /// <summary>The products that go with a cart's and are not in it: what the <c>crossSell</c> provider answers.</summary>
    /// <param name="items">The cart's products.</param>
    public static IReadOnlyList<Product> CrossSell(IReadOnlyList<Product> items) =>
        items.Select(p => p.GoesWith).Distinct(StringComparer.Ordinal)
            .Where(name => items.All(p => p.Name != name))
            .Select(name => Catalog.First(p => p.Name == name))
            .ToList();

    /// <summary>Answers <c>stock</c> from the cart's products.</summary>
    /// <param name="items">Reads the products of the triggering event.</param>
    public sealed class StockProvider(Func<object, IReadOnlyList<Product>> items) : IContentProvider
    {
        /// <inheritdoc />
        public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            return ValueTask.FromResult<object?>(LowestStock(items(request.Event)));
        }
    }

    /// <summary>Answers <c>crossSell</c> from the cart's products.</summary>
    /// <param name="items">Reads the products of the triggering event.</param>
    public sealed class CrossSellProvider(Func<object, IReadOnlyList<Product>> items) : IContentProvider
    {
        /// <inheritdoc />
        public ValueTask<object?> GetAsync(ContentRequest request, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(request);
            return ValueTask.FromResult<object?>(CrossSell(items(request.Event)));
        }
    }
}
