using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace ConsentHub.Web.Security;

/// <summary>
/// Sends an open page to sign-in the moment its circuit's user stops being valid (account disabled, roles changed,
/// signed out everywhere). Pages are interactive islands under a statically rendered router, so the router's
/// [Authorize] check ran once, when the page loaded; nothing inside the circuit would react to the revalidating
/// provider signing the user out. One handler per circuit covers every interactive page, present and future.
/// </summary>
internal sealed partial class SignedOutCircuitHandler(
    AuthenticationStateProvider authentication, NavigationManager navigation, ILogger<SignedOutCircuitHandler> logger)
    : CircuitHandler, IDisposable
{
    private bool _subscribed;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        authentication.AuthenticationStateChanged += OnAuthenticationStateChanged;
        _subscribed = true;
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        if (!_subscribed) return;
        authentication.AuthenticationStateChanged -= OnAuthenticationStateChanged;
        _subscribed = false;
    }

    private async void OnAuthenticationStateChanged(Task<AuthenticationState> task)
    {
        try
        {
            var state = await task;
            if (state.User.Identity?.IsAuthenticated == true) return;
            var here = "/" + navigation.ToBaseRelativePath(navigation.Uri);
            // A full load: the sign-in page is rendered on the server, and the old circuit is dropped with its data.
            navigation.NavigateTo($"account/sign-in?returnUrl={Uri.EscapeDataString(here)}", forceLoad: true);
            LogSentToSignIn(logger);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The circuit may already be gone; the next request is refused by the cookie's own stamp check anyway.
            LogCouldNotRedirect(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "An open page's user is no longer valid; sent it to sign in.")]
    private static partial void LogSentToSignIn(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not send an open page to sign in after its user was signed out.")]
    private static partial void LogCouldNotRedirect(ILogger logger, Exception ex);
}
