namespace ConsentHub.Web.Components.Pages.Checks;

/// <summary>
/// Coalesces a burst of change notifications into one re-read: the first request waits <see cref="Window"/>,
/// requests meanwhile join it, and a request that arrives while the re-read runs schedules exactly one more.
/// </summary>
internal sealed class LiveRefresh(Func<Task> refresh) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stop = new();
    private int _state; // 0 idle, 1 scheduled, 2 running, 3 running and asked again

    public void Request()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            var next = state switch { 0 => 1, 2 => 3, _ => -1 };
            if (next < 0) return;
            if (Interlocked.CompareExchange(ref _state, next, state) != state) continue;
            if (next == 1) _ = RunAsync();
            return;
        }
    }

    private async Task RunAsync()
    {
        try
        {
            await Task.Delay(Window, _stop.Token);
            while (true)
            {
                Volatile.Write(ref _state, 2);
                await refresh();
                if (Interlocked.CompareExchange(ref _state, 0, 2) == 2) return;
                // Asked again while reading: read once more.
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The view shows what it had; the next change tries again.
            Volatile.Write(ref _state, 0);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
