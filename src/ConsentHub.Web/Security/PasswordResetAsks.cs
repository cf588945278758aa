using System.Threading.Channels;
using ConsentHub.Email;
using ConsentHub.Staff;

namespace ConsentHub.Web.Security;

/// <summary>
/// "Forgot your password?" answers before anyone looks the address up. Looking it up, making a token and writing the
/// email took measurably longer for an address with an account than for one without, so the answer's timing told a
/// stranger who works here. The page only queues the address (the same constant work for every address) and
/// <see cref="PasswordResetWorker"/> does the rest in the background, one request at a time, in the order asked.
/// Nothing is stored on the way: a request lost when the host stops is asked again by the person waiting for it.
/// </summary>
public sealed class PasswordResetAsks
{
    // Bounded: asking is rate limited per address, and a flood beyond this waits for nothing (the oldest is dropped).
    private readonly Channel<PasswordResetAsk> _asks = Channel.CreateBounded<PasswordResetAsk>(
        new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    /// <param name="baseUri">The host's own address as the visitor used it, for the link in the email.</param>
    public void Enqueue(string? email, string baseUri) => _asks.Writer.TryWrite(new PasswordResetAsk(email, baseUri));

    internal ChannelReader<PasswordResetAsk> Reader => _asks.Reader;
}

internal sealed record PasswordResetAsk(string? Email, string BaseUri);

/// <summary>Works through <see cref="PasswordResetAsks"/>: each ask in its own scope, a failure logged and not retried.</summary>
public sealed class PasswordResetWorker(PasswordResetAsks queue, IServiceScopeFactory scopes, ILogger<PasswordResetWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var ask in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var services = scope.ServiceProvider;
                    var queued = await services.GetRequiredService<RequestPasswordReset>().HandleAsync(ask.Email,
                        (id, token) => new Uri(new Uri(ask.BaseUri), $"account/set-password?user={id}&token={Uri.EscapeDataString(token)}").ToString(),
                        stoppingToken);
                    if (queued) services.GetService<RequestOutboxDrain>()?.Now();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The address is not logged (personal data); the person asks again.
                    logger.LogError(e, "A password-reset request failed; the email was not queued");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
