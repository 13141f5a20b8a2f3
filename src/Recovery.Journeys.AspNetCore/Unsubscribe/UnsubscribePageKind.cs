namespace Recovery.Journeys.AspNetCore.Unsubscribe;

/// <summary>Which page the unsubscribe endpoint shows.</summary>
public enum UnsubscribePageKind
{
    /// <summary>The question, with its button (a GET).</summary>
    Confirm,

    /// <summary>The answer, once unsubscribed (the page's POST).</summary>
    Done,

    /// <summary>The link's signature does not match.</summary>
    Invalid,
}
