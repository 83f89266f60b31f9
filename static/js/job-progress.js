// Follows background jobs (publishing, exports): every element with a
// data-job-status-url polls that JSON endpoint once a second and shows the job's progress,
// its download link when it is done or its error when it failed, and offers Cancel while
// it runs and Retry once it failed or was cancelled. No libraries.
(function () {
  "use strict";
  const PERIOD_MS = 1000;

  function follow(box) {
    const url = box.dataset.jobStatusUrl;
    const part = (name) => box.querySelector("[data-job-" + name + "]");
    const progressbar = box.querySelector("[role=progressbar]");
    const bar = part("bar");
    let lastState = null;

    function show(status) {
      progressbar.setAttribute("aria-valuenow", String(status.progress));
      bar.style.width = status.progress + "%";
      bar.textContent = status.progress + "%";
      part("message").textContent = status.message;
      const badge = part("state");
      badge.textContent = status.state_label;
      bar.classList.toggle("progress-bar-striped", status.state === "running");
      bar.classList.toggle("progress-bar-animated", status.state === "running");
      bar.classList.toggle("bg-success", status.state === "done");
      bar.classList.toggle("bg-danger", status.state === "failed");
      badge.className = "badge " + (
        status.state === "done" ? "text-bg-success" :
        status.state === "failed" ? "text-bg-danger" :
        status.state === "cancelled" ? "text-bg-warning" : "text-bg-secondary"
      );
      // A draft preview has neither button: asking for it again is the retry.
      if (part("cancel")) part("cancel").hidden = !status.active;
      if (part("retry")) part("retry").hidden = !status.retryable;
      if (status.state === "done" && status.download_url) {
        part("download").href = status.download_url;
        part("done").hidden = false;
      }
      if (status.state === "failed") {
        part("error").textContent = status.error;
        part("failed").hidden = false;
      }
      if (status.state !== lastState) {
        // Screen readers hear each change of state, not every percent.
        part("announce").textContent = status.state_label + ": " + (status.error || status.message);
        lastState = status.state;
      }
    }

    async function poll() {
      try {
        const response = await fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (response.status === 403 || response.status === 404) return; // nothing to follow
        if (response.ok) {
          const status = await response.json();
          show(status);
          if (status.finished) return;
        }
      } catch (error) {
        // Offline for a moment: try again on the next tick.
      }
      setTimeout(poll, PERIOD_MS);
    }

    if (box.dataset.jobFinished !== "1") setTimeout(poll, PERIOD_MS);
  }

  document.querySelectorAll("[data-job-status-url]").forEach(follow);
})();
