// Shows a form item only when the field it depends on has the right value.
// Progressive enhancement: without this script every item is shown with its hint
// ("「…」で「…」を選んだ場合に記入してください"), and the server ignores what does not apply.
(function () {
  "use strict";

  function valuesOf(form, name) {
    const inputs = Array.from(form.querySelectorAll("[name]")).filter((el) => el.name === name);
    const values = [];
    for (const input of inputs) {
      if (input.closest("[hidden]")) {
        continue; // a hidden field counts as empty
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.type === "checkbox" && inputs.length === 1 ? "true" : input.value);
        }
      } else if (input.value.trim() !== "") {
        values.push(input.value.trim());
      }
    }
    return values;
  }

  function holds(rule, values) {
    if (rule.op === "filled") {
      return values.length > 0;
    }
    const hit = rule.values.some((value) => values.includes(value));
    return rule.op === "not_equals" ? !hit : hit;
  }

  function update(form) {
    const items = Array.from(form.querySelectorAll("[data-show-when]"));
    // A few passes settle chains (a field shown by a field that is itself conditional).
    for (let pass = 0; pass < 4; pass += 1) {
      let changed = false;
      for (const item of items) {
        const rule = JSON.parse(item.dataset.showWhen);
        const hidden = !holds(rule, valuesOf(form, rule.field));
        if (item.hidden !== hidden) {
          item.hidden = hidden;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
    }
  }

  function start() {
    for (const form of document.querySelectorAll("[data-conditions]")) {
      update(form);
      form.addEventListener("input", () => update(form));
      form.addEventListener("change", () => update(form));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
