// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  var toggle = document.querySelector("[data-nav-toggle]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      nav.classList.toggle("open", !open);
    });
  }
  document.querySelectorAll("[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // A "select all" box over the checkboxes named by data-check-all; hidden in the page until this script runs.
  document.querySelectorAll("[data-check-all]").forEach(function (box) {
    var boxes = box.form.querySelectorAll('input[type=checkbox][name="' + box.getAttribute("data-check-all") + '"]');
    box.hidden = false;
    box.addEventListener("change", function () {
      boxes.forEach(function (b) { b.checked = box.checked; });
    });
  });
  document.querySelectorAll("[data-copy]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var target = document.getElementById(btn.getAttribute("data-copy"));
      if (target && navigator.clipboard) { navigator.clipboard.writeText(target.textContent.trim()); btn.textContent = btn.getAttribute("data-copied") || "✓"; }
    });
  });
});

// After a successful htmx post, a form marked data-reset-on-success empties itself and removes the element named by
// data-remove-on-success (an "empty list" placeholder). Kept here rather than in hx-on attributes: the
// Content-Security-Policy allows no inline or evaluated script.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-reset-on-success")) { return; }
  if (!event.detail.successful || event.detail.target !== document.querySelector(form.getAttribute("hx-target"))) { return; }
  form.reset();
  var selector = form.getAttribute("data-remove-on-success");
  var gone = selector && document.querySelector(selector);
  if (gone) { gone.remove(); }
});

// Print buttons without inline handlers.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) { window.print(); }
});

// Every form sent with htmx and refused (400, or 429 for a rate limit) comes back with its errors and what was typed:
// show it. htmx leaves 4xx answers unswapped by default, which made a refused submission look like nothing happened.
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr.status === 400 || event.detail.xhr.status === 429) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

// After such a swap, bring the first error into view and put the cursor in its field.
document.addEventListener("htmx:afterSwap", function (event) {
  if (event.detail.xhr.status !== 400 && event.detail.xhr.status !== 429) { return; }
  var error = event.detail.target.querySelector(".errorlist");
  if (!error) { return; }
  var holder = error.closest(".field") || error.parentElement;
  var input = holder && holder.querySelector("input:not([type=hidden]), select, textarea");
  error.scrollIntoView({ block: "center" });
  if (input) { input.focus({ preventScroll: true }); }
});
