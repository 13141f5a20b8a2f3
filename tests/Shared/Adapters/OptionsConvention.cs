using System.Reflection;
using FluentAssertions;

namespace Recovery.Journeys.TestSupport;

/// <summary>
/// Checks of the adapters' options convention, option by option through reflection, so that an option added to an
/// options class later is checked too: every option reaches the adapter's own copy, from its constructor and from its
/// registration, and the caller's object is not that copy.
/// </summary>
/// <remarks>Linked into the adapter packages' test projects (their .csproj files).</remarks>
internal static class OptionsConvention
{
    /// <summary>
    /// Fails when an option of <paramref name="configured"/> still has its default value: a test that shows every
    /// option flowing through must set each one, and is told so when an option is added.
    /// </summary>
    public static void ShouldSetEveryOption<TOptions>(TOptions configured)
        where TOptions : new()
    {
        var defaults = new TOptions();
        Options<TOptions>()
            .Where(p => Equals(p.GetValue(configured), p.GetValue(defaults)))
            .Select(p => p.Name)
            .Should().BeEmpty($"the test must set every {typeof(TOptions).Name} option away from its default, to show it reaches the adapter; set the ones named");
    }

    /// <summary>Sets every option of <paramref name="target"/> to its value in <paramref name="source"/>, as a <c>configure</c> callback would.</summary>
    public static void CopyEveryOption<TOptions>(TOptions source, TOptions target)
    {
        foreach (var option in Options<TOptions>())
        {
            option.SetValue(target, option.GetValue(source));
        }
    }

    /// <summary>Fails unless every option of <paramref name="actual"/> equals that of <paramref name="expected"/> (the same instance, for a reference).</summary>
    public static void ShouldHaveEveryOptionOf<TOptions>(TOptions actual, TOptions expected)
    {
        Options<TOptions>()
            .Where(p => !Equals(p.GetValue(actual), p.GetValue(expected)))
            .Select(p => $"{p.Name} is {p.GetValue(actual) ?? "null"}, expected {p.GetValue(expected) ?? "null"}")
            .Should().BeEmpty($"every {typeof(TOptions).Name} option must reach the adapter");
    }

    private static PropertyInfo[] Options<TOptions>() =>
        typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p is { CanRead: true, CanWrite: true }).ToArray();
}
