// Selects marked data-autosubmit submit their form on change (no inline handlers: CSP).
document.querySelectorAll("[data-autosubmit]").forEach((field) => {
  field.addEventListener("change", () => field.form.submit());
});
