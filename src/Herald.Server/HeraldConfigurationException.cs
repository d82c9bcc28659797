namespace Herald.Server;

/// <summary>
/// The server's configuration cannot be used: an unknown setting (with the nearest known one) or a value out of range
/// (with the range). <c>herald serve</c> prints <see cref="Errors"/> and exits with code 2.
/// </summary>
public sealed class HeraldConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HeraldConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates the exception with one message.</summary>
    /// <param name="message">What is wrong.</param>
    public HeraldConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with one message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HeraldConfigurationException(string message, Exception innerException)
        : base(message, innerException) => Errors = [message];

    /// <summary>Creates the exception with one message per problem.</summary>
    /// <param name="errors">What is wrong, one line each.</param>
    public HeraldConfigurationException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors ?? [])) => Errors = errors ?? [];

    /// <summary>Every problem, one line each.</summary>
    public IReadOnlyList<string> Errors { get; }
}
