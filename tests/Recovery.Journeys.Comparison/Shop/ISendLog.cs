namespace Recovery.Journeys.Comparison.Shop;

/// <summary>Where the recording channels append every send, repeats included: the runs count them.</summary>
public interface ISendLog
{
    /// <summary>Appends a send; returns once it is kept (durably, for a log that outlives the process).</summary>
    Task AppendAsync(SendRecord record, CancellationToken cancellationToken);

    Task<IReadOnlyList<SendRecord>> ReadAllAsync();

    Task<long> CountAsync();
}
