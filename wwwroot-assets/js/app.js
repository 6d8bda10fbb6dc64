// Small helpers for the portal. No third-party code, no network calls.
window.complianceHub = {
  getTheme: function () {
    try { return window.localStorage.getItem("ch-theme"); } catch { return null; }
  },
  setTheme: function (theme) {
    try { window.localStorage.setItem("ch-theme", theme); } catch { /* private mode: keep it per session */ }
  },
  // Loads the transcript's next page when the reader scrolls near either end. Observing again after
  // each render re-checks ends that are still in view (a short page), so pages keep coming until the
  // view is full. Chromium's scroll anchoring keeps what is on screen still when a page lands above.
  watchTranscriptEnds: function (component, olderId, newerId) {
    if (this._transcriptObserver) { this._transcriptObserver.disconnect(); }
    const observer = new IntersectionObserver(function (entries) {
      for (const entry of entries) {
        if (!entry.isIntersecting) { continue; }
        component.invokeMethodAsync(entry.target.id === olderId ? "LoadOlderAsync" : "LoadNewerAsync");
      }
    }, { rootMargin: "600px 0px" });
    for (const id of [olderId, newerId]) {
      const element = document.getElementById(id);
      if (element) { observer.observe(element); }
    }
    this._transcriptObserver = observer;
  },
  unwatchTranscriptEnds: function () {
    if (this._transcriptObserver) { this._transcriptObserver.disconnect(); this._transcriptObserver = null; }
  },
  // Tells the policy signing page once the reader has scrolled the policy's last line into view (at once for a
  // policy short enough to be seen whole).
  watchPolicyEnd: function (component, scrollId, endId) {
    const root = document.getElementById(scrollId);
    const end = document.getElementById(endId);
    if (!root || !end) { return; }
    const observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        observer.disconnect();
        component.invokeMethodAsync("ReachedEndAsync");
      }
    }, { root: root, threshold: 1.0 });
    observer.observe(end);
  },
  // Brings a transcript message into view (a search hit, a jump to a date, the newest message).
  scrollToMessage: function (elementId) {
    const element = document.getElementById(elementId);
    if (element) { element.scrollIntoView({ block: "center" }); }
  }
};
