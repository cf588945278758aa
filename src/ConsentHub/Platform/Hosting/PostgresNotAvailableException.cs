namespace ConsentHub.Hosting;

/// <summary>The private database cannot start; the message tells the person at the terminal what to do.</summary>
public sealed class PostgresNotAvailableException : Exception
{
    public PostgresNotAvailableException(string message) : base(message) { }
    public PostgresNotAvailableException(string message, Exception inner) : base(message, inner) { }
    public PostgresNotAvailableException() { }
}
