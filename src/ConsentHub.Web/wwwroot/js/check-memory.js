// The check page remembers a teacher's last class, purpose and recently checked pupils on this device
// (CheckMemory). Signing out forgets them, before the sign-out form is posted, on every page.
(function () {
    "use strict";
    var prefix = "consenthub.check.";
    function forget() {
        try {
            for (var i = window.localStorage.length - 1; i >= 0; i--) {
                var key = window.localStorage.key(i);
                if (key && key.indexOf(prefix) === 0) window.localStorage.removeItem(key);
            }
        } catch (e) {
            // Storage switched off: there is nothing to forget.
        }
    }
    document.addEventListener("submit", function (event) {
        var form = event.target;
        if (form && form.getAttribute && /account\/sign-out$/.test(form.getAttribute("action") || "")) forget();
    }, true);
    window.consentHubChecks = { forget: forget, print: function () { window.print(); } };
})();
