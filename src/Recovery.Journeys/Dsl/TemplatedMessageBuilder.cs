using System.Globalization;
using Recovery.Journeys.Templating;

namespace Recovery.Journeys.Dsl;

/// <summary>
/// Describes a message whose text fields are templates, compiled when the journey is built, with optional
/// per-culture variants.
/// </summary>
/// <remarks>
/// A variant is chosen by the customer's culture, falling back along the culture's parents: a customer in
/// <c>fr-CA</c> gets the <c>fr-CA</c> variant, else the <c>fr</c> variant, else the message's own fields (written
/// for the journey's default culture). Each variant is a complete message.
/// </remarks>
/// <typeparam name="TMessage">The rendered message.</typeparam>
/// <typeparam name="TSelf">The concrete builder.</typeparam>
public abstract class TemplatedMessageBuilder<TMessage, TSelf>
    where TMessage : class
    where TSelf : TemplatedMessageBuilder<TMessage, TSelf>
{
    private readonly Dictionary<string, TSelf> _variants = new(StringComparer.OrdinalIgnoreCase);
    private bool _isVariant;

    private protected TemplatedMessageBuilder()
    {
    }

    /// <summary>Adds the message as written for customers of <paramref name="culture"/> (and its sub-cultures).</summary>
    /// <param name="culture">An IETF culture tag: <c>en</c>, <c>en-US</c>, <c>de</c>.</param>
    /// <param name="configure">Describes the whole message in that culture.</param>
    /// <returns>This builder.</returns>
    public TSelf Localized(string culture, Action<TSelf> configure)
    {
        ArgumentNullException.ThrowIfNull(culture);
        ArgumentNullException.ThrowIfNull(configure);
        if (_isVariant)
        {
            throw new InvalidOperationException("A localized variant cannot have variants of its own.");
        }

        var name = CultureInfo.GetCultureInfo(culture).Name;
        if (name.Length == 0 || !_variants.TryAdd(name, CreateVariant()))
        {
            throw new ArgumentException(name.Length == 0 ? "The invariant culture is the message itself, not a variant." : $"The '{name}' variant is described twice.", nameof(culture));
        }

        _variants[name]._isVariant = true;
        configure(_variants[name]);
        return (TSelf)this;
    }

    /// <summary>Returns what is missing for the message (or one of its variants) to be complete, or <see langword="null"/>.</summary>
    internal string? Missing() =>
        MissingFields() ?? _variants.Select(v => v.Value.MissingFields() is { } missing ? $"{missing} (in the '{v.Key}' variant)" : null).FirstOrDefault(m => m is not null);

    /// <summary>Whether the message has per-culture variants, which are chosen by the model's culture.</summary>
    internal bool HasVariants => _variants.Count > 0;

    internal Func<TemplateModel, TMessage> Compile(StepTemplateCompiler compiler)
    {
        var own = CompileFields(compiler);
        if (_variants.Count == 0)
        {
            return own;
        }

        var variants = _variants.ToDictionary(v => v.Key, v => v.Value.CompileFields(compiler.ForVariant(v.Key)), StringComparer.OrdinalIgnoreCase);
        return model => (Select(variants, model.Culture) ?? own)(model);
    }

    private protected abstract TSelf CreateVariant();

    private protected abstract string? MissingFields();

    private protected abstract Func<TemplateModel, TMessage> CompileFields(StepTemplateCompiler compiler);

    private protected static string Require(string template, string argumentName)
    {
        ArgumentNullException.ThrowIfNull(template, argumentName);
        return template;
    }

    private static Func<TemplateModel, TMessage>? Select(Dictionary<string, Func<TemplateModel, TMessage>> variants, CultureInfo culture)
    {
        for (var c = culture; c.Name.Length > 0; c = c.Parent)
        {
            if (variants.TryGetValue(c.Name, out var variant))
            {
                return variant;
            }
        }

        return null;
    }
}
