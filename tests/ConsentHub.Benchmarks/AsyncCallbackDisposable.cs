namespace ConsentHub.Benchmarks;

/// <summary>Runs a callback on dispose, so cleanup order follows the <c>using</c> order.</summary>
public sealed class AsyncCallbackDisposable(Func<Task> callback) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await callback();
}
