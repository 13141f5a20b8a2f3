using Recovery.Journeys.Customers;

namespace Recovery.Journeys.Ports;

/// <summary>
/// Looks a customer up by id at send time. Implemented by the host when a journey names its customer by id
/// (<c>ForCustomerId(e =&gt; e.CustomerId)</c>).
/// </summary>
/// <remarks>Called concurrently from several steps; implementations must be thread-safe.</remarks>
public interface ICustomerDirectory
{
    /// <summary>Finds the customer with the given id.</summary>
    /// <param name="customerId">The id the journey selected from its trigger event.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The customer, or <see langword="null"/> when unknown (the step is then skipped with a reason).</returns>
    ValueTask<Customer?> FindAsync(string customerId, CancellationToken cancellationToken);
}
