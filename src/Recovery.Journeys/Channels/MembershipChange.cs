namespace Recovery.Journeys.Channels;

/// <summary>Whether a customer joins or leaves a list or an audience.</summary>
public enum MembershipChange
{
    /// <summary>Add the customer.</summary>
    Add = 0,

    /// <summary>Remove the customer.</summary>
    Remove = 1,
}
