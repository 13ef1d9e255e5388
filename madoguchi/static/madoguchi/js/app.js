/*
 * madoguchi: the little JavaScript every page needs. No framework, no inline handlers
 * (the Content-Security-Policy allows only scripts from 'self').
 *
 * After htmx replaces part of the page, keyboard and screen-reader users must not be left
 * on a removed element (focus falls back to <body>, and the new content is never read).
 * So, after each swap, focus moves to the new content's heading, or to the element marked
 * data-swap-focus; a region with role="status"/"alert" or aria-live is announced by
 * assistive technology on its own and is left alone.
 * Opt out on a target or trigger with data-swap-focus="off" (e.g. live search results that
 * update while the user types).
 */
(function () {
  "use strict";

  var FOCUS_SELECTOR = "[data-swap-focus]:not([data-swap-focus='off']), h1, h2, h3";

  function isLive(el) {
    var role = el.getAttribute("role");
    return role === "status" || role === "alert" || el.hasAttribute("aria-live");
  }

  function focusTarget(root) {
    if (root.matches && root.matches("[data-swap-focus]:not([data-swap-focus='off'])")) {
      return root;
    }
    return root.querySelector(FOCUS_SELECTOR);
  }

  function focusElement(el) {
    if (!el.hasAttribute("tabindex") && el.tabIndex < 0) {
      el.setAttribute("tabindex", "-1");
    }
    el.focus();
  }

  function focusWasLost(root, trigger) {
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      return true;
    }
    // The element that asked for the swap was replaced or is inside the new content.
    return !!(trigger && !trigger.isConnected) || root.contains(active);
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail && event.detail.elt;
    var trigger = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!root || !(root instanceof Element) || !root.isConnected) {
      return;
    }
    if (root.closest("[data-swap-focus='off']") ||
        (trigger && trigger.closest && trigger.closest("[data-swap-focus='off']"))) {
      return;
    }
    var target = focusTarget(root);
    if (target) {
      focusElement(target);
      return;
    }
    if (isLive(root) || root.querySelector("[role='status'], [role='alert'], [aria-live]")) {
      return;
    }
    if (focusWasLost(root, trigger)) {
      focusElement(root);
    }
  });
})();
