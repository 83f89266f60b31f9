// Keeps a page showing scores honest: while the cycle's scores are being recomputed it
// polls their status and reloads once the new scores have landed (no manual reload).
(function () {
  "use strict";
  const badge = document.getElementById("score-state");
  if (!badge) return;
  const url = badge.dataset.statusUrl;
  const shownComputedAt = badge.dataset.computedAt ? Date.parse(badge.dataset.computedAt) : 0;
  let stale = badge.dataset.stale === "1";

  async function check() {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const status = await response.json();
      const computedAt = status.computed_at ? Date.parse(status.computed_at) : 0;
      if (!status.stale && computedAt > shownComputedAt) {
        window.location.reload();
        return;
      }
      if (status.stale && !stale) {
        stale = true;
        badge.className = "badge text-bg-warning";
        badge.textContent = "Scores are being recomputed; they will update here by themselves.";
      }
    } catch (error) {
      // Offline for a moment: try again on the next tick.
    }
    setTimeout(check, stale ? 2000 : 10000);
  }
  setTimeout(check, stale ? 2000 : 10000);
})();
