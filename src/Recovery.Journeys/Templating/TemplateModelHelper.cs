using HandlebarsDotNet;

namespace Recovery.Journeys.Templating;

/// <summary>
/// A Handlebars helper that reads the model being rendered: the customer's culture and time zone, the channel, the
/// journey. Register it in <see cref="HandlebarsTemplateOptions.ModelHelpers"/>; the built-in helpers are of this kind.
/// </summary>
/// <param name="model">The model of the message being rendered.</param>
/// <param name="arguments">The arguments the template passes (<c>{{greeting customer.name}}</c>).</param>
/// <returns>The value to write, HTML-escaped in HTML templates.</returns>
public delegate object? TemplateModelHelper(TemplateModel model, Arguments arguments);
