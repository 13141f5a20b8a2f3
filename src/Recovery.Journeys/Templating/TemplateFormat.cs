namespace Recovery.Journeys.Templating;

/// <summary>How a template writes values.</summary>
public enum TemplateFormat
{
    /// <summary>Values are written as they are (push, SMS, e-mail subject and text body).</summary>
    PlainText = 0,

    /// <summary>Values are HTML-escaped, so a customer name holding <c>&lt;script&gt;</c> renders inert (e-mail HTML body).</summary>
    Html = 1,
}
