// Small helpers for the portal. No third-party code, no network calls.
window.complianceHub = {
  getTheme: function () {
    try { return window.localStorage.getItem("ch-theme"); } catch { return null; }
  },
  setTheme: function (theme) {
    try { window.localStorage.setItem("ch-theme", theme); } catch { /* private mode: keep it per session */ }
  },
  // Brings a transcript message into view (a search hit, a jump to a date, the newest message).
  scrollToMessage: function (elementId) {
    const element = document.getElementById(elementId);
    if (element) { element.scrollIntoView({ block: "center" }); }
  }
};
