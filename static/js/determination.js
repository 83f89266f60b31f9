// Determination editor: points only for partial credit, add-row buttons for the formsets,
// and a live Markdown preview rendered (and sanitised) by the server.
(function () {
  "use strict";
  const form = document.getElementById("determination-form");
  if (!form) return;

  const points = form.querySelector("[name=points]");
  // Arrow keys move through the status radios and check each one on the way, so passing
  // over "met" must not lose the points typed for partial credit: they are kept here and
  // come back with partial credit (a disabled field is not sent, so none are saved meanwhile).
  let typedPoints = points.value;
  points.addEventListener("input", () => { typedPoints = points.value; });
  function syncPoints() {
    const status = form.querySelector("[name=status]:checked");
    const partial = status && status.value === "partially_met";
    points.disabled = !partial;
    points.value = partial ? typedPoints : "";
  }
  form.querySelectorAll("[name=status]").forEach((radio) => radio.addEventListener("change", syncPoints));
  syncPoints();

  document.querySelectorAll("[data-add-form]").forEach((button) => {
    button.addEventListener("click", () => {
      const prefix = button.dataset.addForm;
      const total = form.querySelector(`#id_${prefix}-TOTAL_FORMS`);
      const template = form.querySelector(`template[data-empty-form="${prefix}"]`);
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      const holder = form.querySelector(`[data-forms="${prefix}"]`);
      const empty = holder.querySelector("[data-empty]");
      if (empty) empty.remove();
      holder.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const first = holder.lastElementChild.querySelector("input:not([type=hidden]), select, textarea");
      if (first) first.focus();
    });
  });

  const narrative = form.querySelector("[name=narrative]");
  const preview = document.getElementById("preview");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let timer = null;
  narrative.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const body = new URLSearchParams({ narrative: narrative.value, determination: form.dataset.determination });
      try {
        const response = await fetch(form.dataset.previewUrl, {
          method: "POST", body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
        });
        if (response.ok) preview.innerHTML = await response.text();
      } catch (error) {
        preview.insertAdjacentHTML("afterbegin", '<p class="text-danger small">Preview unavailable; your text is safe.</p>');
      }
    }, 300);
  });

  let dirty = false;
  form.addEventListener("input", () => { dirty = true; });
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => { if (dirty) { event.preventDefault(); event.returnValue = ""; } });
})();
