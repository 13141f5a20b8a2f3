namespace Recovery.Journeys.Templating;

/// <summary>A template could not be compiled: a syntax error, or a field the model does not have.</summary>
public sealed class TemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TemplateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, quoting the offending expression.</param>
    public TemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The template engine's own error.</param>
    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
