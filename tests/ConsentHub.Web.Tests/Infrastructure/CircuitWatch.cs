using System.Text;
using Microsoft.Playwright;

namespace ConsentHub.Web.Tests.Infrastructure;

/// <summary>
/// Tells when an interactive page can take input: the browser has applied the circuit's first render (and so
/// attached the page's event handlers) and said so to the server ("OnRenderCompleted" over the circuit's
/// WebSocket). Input sent before that is lost, and waiting a fixed time for it is a guess. Attach before the page
/// is opened.
/// </summary>
public sealed class CircuitWatch
{
    private static readonly byte[] RenderCompleted = Encoding.UTF8.GetBytes("OnRenderCompleted");

    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _rendered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CircuitWatch(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.WebSocket += (_, socket) =>
        {
            _opened.TrySetResult();
            socket.FrameSent += (_, frame) =>
            {
                if (IsRenderCompleted(frame)) _rendered.TrySetResult();
            };
        };
    }

    /// <summary>The circuit's WebSocket is open.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Waits until the browser has applied the circuit's first render.</summary>
    public Task InteractiveAsync() => _rendered.Task.WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>
    /// Waits until every file input on the page has been wired up by Blazor's InputFile, which the server asks for
    /// only after the first render; a file chosen before that is never read.
    /// </summary>
    public static Task FileInputsReadyAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.WaitForFunctionAsync(
            "() => { const inputs = [...document.querySelectorAll('input[type=file]')]; return inputs.length > 0 && inputs.every(e => e._blazorInputFileNextFileId !== undefined); }",
            null, new PageWaitForFunctionOptions { Timeout = 30_000 });
    }

    private static bool IsRenderCompleted(IWebSocketFrame frame) =>
        frame.Text?.Contains("OnRenderCompleted", StringComparison.Ordinal) == true
        || (frame.Binary is { } bytes && bytes.AsSpan().IndexOf(RenderCompleted) >= 0);
}
