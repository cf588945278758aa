using Hangfire.Logging;

namespace ConsentHub.Web.Hosting;

/// <summary>
/// Hangfire looks its loggers up through one process-wide provider, set by whichever host configured Hangfire
/// last. Where several hosts share a process (test hosts side by side) and that host stops first, every logger
/// Hangfire then creates or writes to belongs to a disposed logger factory, and enqueuing a job throws. This
/// provider wraps the host's own and, once that factory is gone, drops the lines instead of failing the work.
/// With one host per process (production) it behaves exactly like Hangfire's own provider.
/// </summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly Hangfire.AspNetCore.AspNetCoreLogProvider _inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return new Guarded(_inner.GetLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Dropped.Instance;
        }
    }

    private sealed class Guarded(ILog inner) : ILog
    {
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            try
            {
                return inner.Log(logLevel, messageFunc, exception);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }
    }

    private sealed class Dropped : ILog
    {
        public static readonly Dropped Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
