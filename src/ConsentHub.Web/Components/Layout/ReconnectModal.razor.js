// The reconnect modal. The browser rejoins its circuit when it can; when it cannot, the page reloads by itself, so a
// teacher whose host has died lands on a live host (the staff cookie and Data Protection keys are shared through the
// database, so the reload is still signed in) and reads current data:
// - "rejected": a server answered but does not know the circuit (its host died, or it was kept longer than two
//   minutes): reload at once;
// - "failed": every attempt of the schedule in js/blazor-start.js failed (no server answered): reload as soon as
//   one answers again, checked every few seconds and whenever the tab comes back into view.

// Set up event handlers
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

function handleReconnectStateChanged(event) {
    if (event.detail.state === "show") {
        reconnectModal.showModal();
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        reloadWhenServerAnswers();
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We have been able to reach the server, but the circuit is no longer available.
            // We'll reload the page so the user can continue using the app as quickly as possible.
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                location.reload();
            } else {
                reconnectModal.close();
            }
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        reloadWhenServerAnswers();
    }
}

let reloadTimer = null;

// After a failed reconnect: checks every few seconds whether a server answers this page's address (any host behind
// the proxy will do) and reloads the page when one does. A proxy's 502/503/504 means none is up yet; reloading then
// would only show the browser's error page, which never tries again.
function reloadWhenServerAnswers() {
    if (reloadTimer !== null) return;
    const interval = (window.consentHubReconnection && window.consentHubReconnection.reloadCheckIntervalMs) || 5000;
    const check = async () => {
        try {
            const response = await fetch(location.href, { method: "HEAD", cache: "no-store", credentials: "same-origin", redirect: "manual" });
            if (response.type === "opaqueredirect" || response.status < 500) {
                location.reload();
                return;
            }
        } catch {
            // No answer at all: the server (or the network) is still down.
        }
        reloadTimer = setTimeout(check, interval);
    };
    reloadTimer = setTimeout(check, 0);
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
