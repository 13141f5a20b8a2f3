using Microsoft.Extensions.Options;

namespace Recovery.Journeys.Adapters;

/// <summary>
/// The constructor side of the adapters' options convention: an adapter checks the options it is given with the
/// validator its registration uses, and keeps a copy of its own.
/// </summary>
/// <remarks>Shared source compiled into every adapter package (see this folder's README).</remarks>
internal static class AdapterOptions
{
    /// <summary>
    /// Returns the adapter's own copy of <paramref name="options"/>, checked by <paramref name="validator"/>.
    /// </summary>
    /// <remarks>
    /// The copy is taken first and checked second, so that what was checked is what the adapter keeps: a caller
    /// changing its object meanwhile, or later, has no effect on the adapter. Copies are member-wise
    /// (<see cref="object.MemberwiseClone"/> in each options class), so an option added to a class later is copied
    /// without anyone having to remember it.
    /// </remarks>
    /// <exception cref="OptionsValidationException">The options are invalid; <see cref="OptionsValidationException.Failures"/> lists every problem.</exception>
    public static TOptions ValidatedCopy<TOptions>(TOptions options, IValidateOptions<TOptions> validator, Func<TOptions, TOptions> copy)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(options);
        var own = copy(options);
        var result = validator.Validate(Options.DefaultName, own);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(TOptions), result.Failures);
        }

        return own;
    }
}
