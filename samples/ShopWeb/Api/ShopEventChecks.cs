using Recovery.Journeys.Customers;
using ShopWeb.Shop;

namespace ShopWeb.Api;

/// <summary>
/// What the shop's event endpoints refuse before publishing, as the problems of each field in the JSON names the
/// caller sent (<c>customer.id</c>, <c>items[0].price</c>); no problem, an empty dictionary.
/// </summary>
public static class ShopEventChecks
{
    /// <summary>An abandoned checkout needs an order id, a customer with an id, and at least one item with a name and a price of 0 or more.</summary>
    public static Dictionary<string, string[]> Problems(CheckoutAbandoned e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var problems = new Dictionary<string, string[]>();
        OrderId(problems, e.OrderId);
        Customer(problems, e.Customer);
        if (e.Items is null || e.Items.Count == 0)
        {
            problems["items"] = ["At least one item is required."];
        }
        else
        {
            for (var i = 0; i < e.Items.Count; i++)
            {
                if (e.Items[i] is null || string.IsNullOrWhiteSpace(e.Items[i].Name))
                {
                    problems[$"items[{i}].name"] = ["The item's name is required."];
                }
                else if (e.Items[i].Price < 0)
                {
                    problems[$"items[{i}].price"] = ["The price cannot be negative."];
                }
            }
        }

        return problems;
    }

    /// <summary>A payment needs an order id and an amount of 0 or more.</summary>
    public static Dictionary<string, string[]> Problems(OrderPaid e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var problems = new Dictionary<string, string[]>();
        OrderId(problems, e.OrderId);
        Amount(problems, e.Amount);
        return problems;
    }

    /// <summary>A declined card needs an order id, a customer with an id and an amount of 0 or more.</summary>
    public static Dictionary<string, string[]> Problems(PaymentFailed e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var problems = new Dictionary<string, string[]>();
        OrderId(problems, e.OrderId);
        Customer(problems, e.Customer);
        Amount(problems, e.Amount);
        return problems;
    }

    private static void OrderId(Dictionary<string, string[]> problems, string? orderId)
    {
        if (string.IsNullOrWhiteSpace(orderId))
        {
            problems["orderId"] = ["The order id is required."];
        }
    }

    private static void Customer(Dictionary<string, string[]> problems, Customer? customer)
    {
        if (customer is null)
        {
            problems["customer"] = ["The customer is required."];
        }
        else if (string.IsNullOrWhiteSpace(customer.Id))
        {
            problems["customer.id"] = ["The customer's id is required."];
        }
    }

    private static void Amount(Dictionary<string, string[]> problems, decimal amount)
    {
        if (amount < 0)
        {
            problems["amount"] = ["The amount cannot be negative."];
        }
    }
}
