// Starts Blazor with ConsentHub's reconnection schedule (App.razor loads blazor.web.js with autostart="false").
// A host keeps a disconnected circuit for two minutes (DisconnectedCircuitRetentionPeriod in
// WebServiceCollectionExtensions): trying to rejoin for longer can only fail. So the browser tries at once, then every
// second for a few seconds (a phone back from a lift), then every 5 s until the two minutes are up. A host that has
// died answers through nginx from a live host that does not know the circuit: the modal reloads the page at once
// ("rejected"); after the last attempt ("failed") it reloads as soon as the server answers (ReconnectModal.razor.js).
(function () {
    "use strict";
    var schedule = { maxRetries: 28, quickRetries: 5, quickIntervalMs: 1000, slowIntervalMs: 5000, reloadCheckIntervalMs: 5000 };
    // Read by the reconnect modal (how often it checks that the server answers again) and by the failover drill.
    window.consentHubReconnection = schedule;
    Blazor.start({
        circuit: {
            reconnectionOptions: {
                maxRetries: schedule.maxRetries,
                retryIntervalMilliseconds: function (previousAttempts, maxRetries) {
                    if (previousAttempts >= (maxRetries || schedule.maxRetries)) return null;
                    if (previousAttempts === 0) return 0;
                    return previousAttempts < schedule.quickRetries ? schedule.quickIntervalMs : schedule.slowIntervalMs;
                }
            }
        }
    });
})();
