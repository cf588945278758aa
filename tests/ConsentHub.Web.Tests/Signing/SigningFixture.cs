using System.Collections.Concurrent;
using ConsentHub.Testing.Database;
using ConsentHub.Testing.Smtp;
using ConsentHub.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ConsentHub.Web.Tests.Signing;

/// <summary>
/// One host for the signing tests: its own database, real SMTP to an in-process sink, a clock the tests can move,
/// generous rate limits (the burst test has its own host) and every log line kept, to prove no token is written.
/// </summary>
public sealed class SigningFixture : IAsyncLifetime
{
    public DatabaseFixture Database { get; } = new();
    public SmtpSink Smtp { get; } = SmtpSink.Start();
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public CapturingLoggerProvider Logs { get; } = new();
    public ConsentHubWebFactory Factory { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // The shipped limits: each test browser comes from its own address (see TestClientAddress), so only the
        // burst test reaches them.
        Factory = CreateFactory(Database, Smtp, Clock, Logs, perIp: 60, perToken: 20);
        _ = Factory.Services;
    }

    public static ConsentHubWebFactory CreateFactory(DatabaseFixture database, SmtpSink smtp, FakeTimeProvider clock, CapturingLoggerProvider? logs, int perIp, int perToken)
    {
        var factory = new ConsentHubWebFactory(database)
        {
            TestServices = s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, TestClientAddress>();
                if (logs is not null) s.AddSingleton<ILoggerProvider>(logs);
            },
        };
        factory.Settings["Email:Smtp:Host"] = smtp.Host;
        factory.Settings["Email:Smtp:Port"] = smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Email:Smtp:Security"] = "None";
        factory.Settings["Email:FromAddress"] = "consent@trust.example.org";
        factory.Settings["Signing:PublicBaseUrl"] = "https://localhost";
        factory.Settings["Signing:RequestsPerIpPerMinute"] = perIp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        factory.Settings["Signing:RequestsPerTokenPerMinute"] = perToken.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The framework's path-writing categories at their most talkative: the host must still keep tokens out.
        factory.Settings["Logging:LogLevel:Default"] = "Information";
        factory.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
        return factory;
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        await Smtp.DisposeAsync();
        await Database.DisposeAsync();
    }
}

/// <summary>
/// The in-memory test server has no client address; this takes one from a test header, first in the pipeline, so
/// the per-address rate limit sees each test browser as its own client.
/// </summary>
public sealed class TestClientAddress : Microsoft.AspNetCore.Hosting.IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (System.Net.IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var address))
                context.Connection.RemoteIpAddress = address;
            return nextMiddleware(context);
        });
        next(app);
    };
}

[CollectionDefinition(Name)]
public sealed class SigningHost : ICollectionFixture<SigningFixture>
{
    public const string Name = "signing";
}

/// <summary>Keeps every formatted log message (and exception text) the host writes.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {structured} {exception}");
        }
    }
}
