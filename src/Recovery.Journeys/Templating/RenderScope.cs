namespace Recovery.Journeys.Templating;

/// <summary>
/// The model being rendered on this thread, for the built-in helpers: Handlebars helpers see only their arguments
/// and the current block's value, but money, dates and links depend on the customer's culture, time zone and channel.
/// </summary>
/// <remarks>Rendering is synchronous, so a thread-static holds exactly the render in progress.</remarks>
internal static class RenderScope
{
    [ThreadStatic]
    private static TemplateModel? _current;

    public static TemplateModel Current =>
        _current ?? throw new InvalidOperationException("Recovery.Journeys template helpers can only run while a journey renders a message.");

    public static string Render<TState>(TemplateModel model, TState state, Func<TState, TemplateModel, string> render)
    {
        var outer = _current;
        _current = model;
        try
        {
            return render(state, model);
        }
        finally
        {
            _current = outer;
        }
    }
}
