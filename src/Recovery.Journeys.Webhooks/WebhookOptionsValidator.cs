using Microsoft.Extensions.Options;

namespace Recovery.Journeys.Webhooks;

/// <summary>Checks <see cref="WebhookOptions"/> and reports every problem at once.</summary>
internal sealed class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    // The longest delay a timer (and so a CancellationTokenSource) takes, rounded down to a whole int of milliseconds.
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);

    public ValidateOptionsResult Validate(string? name, WebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Secret))
        {
            failures.Add("WebhookOptions.Secret is required: the secret shared with the receivers, which signs every call.");
        }
        else if (options.Secret.Length < WebhookSignature.MinSecretLength)
        {
            failures.Add($"WebhookOptions.Secret must have at least {WebhookSignature.MinSecretLength} characters; it has {options.Secret.Length}.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.Timeout > MaxTimeout)
        {
            failures.Add($"WebhookOptions.Timeout must be positive and at most {MaxTimeout}; it is {options.Timeout}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
