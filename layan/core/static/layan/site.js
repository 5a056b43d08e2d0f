// Print buttons: shown only when JavaScript runs; the page prints without them too.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});

// A file over its form's limit is stopped before it is sent: the server refuses it too,
// from its Content-Length, but here the officer is told without sending anything.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.maxBytes) return;
  const limit = Number(input.dataset.maxBytes);
  const tooLarge = Array.from(input.files || []).some((file) => file.size > limit);
  input.setCustomValidity(tooLarge ? input.dataset.tooLarge : "");
  if (tooLarge) input.reportValidity();
});
