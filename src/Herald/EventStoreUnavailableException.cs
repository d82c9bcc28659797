namespace Herald;

/// <summary>The event store cannot serve the request (disk full, read-only, locked, closed).</summary>
public sealed class EventStoreUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventStoreUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong, for the operator.</param>
    public EventStoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">What is wrong, for the operator.</param>
    /// <param name="innerException">The cause.</param>
    public EventStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
