using System.Collections.Concurrent;
using System.Reflection;
using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Channels;

/// <summary>
/// Says which contact a message kind needs: a customer without any of them is not reachable on that channel, and
/// the step is skipped with a reason instead of being sent. Several flags mean any one of them will do.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class RequiresContactAttribute : Attribute
{
    private static readonly ConcurrentDictionary<Type, ContactKinds> Requirements = new();

    /// <summary>Declares the contact a message kind needs.</summary>
    /// <param name="anyOf">The contacts, any one of which will do.</param>
    public RequiresContactAttribute(ContactKinds anyOf) => AnyOf = anyOf;

    /// <summary>The contacts, any one of which will do.</summary>
    public ContactKinds AnyOf { get; }

    internal static ContactKinds Of(Type messageType) =>
        Requirements.GetOrAdd(messageType, static t => t.GetCustomAttribute<RequiresContactAttribute>()?.AnyOf ?? ContactKinds.None);

    /// <summary>Returns why the customer cannot be reached, or <see langword="null"/> when they can.</summary>
    internal static string? Unreachable(Customer customer, ContactKinds anyOf) =>
        anyOf == ContactKinds.None || customer.HasAnyOf(anyOf) ? null : Missing(anyOf);

    // Apart: the lambda's capture of anyOf would otherwise be allocated on every call, reachable or not.
    private static string Missing(ContactKinds anyOf)
    {
        var missing = Enum.GetValues<ContactKinds>().Where(k => k != ContactKinds.None && anyOf.HasFlag(k)).Select(Describe);
        return $"no {string.Join(" or ", missing)}";
    }

    private static string Describe(ContactKinds kind) => kind switch
    {
        ContactKinds.Email => "e-mail address",
        ContactKinds.Phone => "phone number",
        ContactKinds.AppPush => "app push token",
        ContactKinds.WebPush => "web push subscription",
        ContactKinds.Chat => "chat id",
        _ => kind.ToString(),
    };
}
