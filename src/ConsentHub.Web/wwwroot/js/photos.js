// The photo page's one need the server cannot meet: the size the photo is drawn at, to turn a drawn box into pixels.
(function () {
    "use strict";
    window.consentHubPhotos = {
        size: function (element) {
            var r = element.getBoundingClientRect();
            return [r.width, r.height];
        }
    };
})();
