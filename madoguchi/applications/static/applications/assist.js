// Assisted applications: the receipt's print button, and the filter box of the procedure
// list (the server filters too, with ?q=, so the page works without this script).
(function () {
  "use strict";

  function setUpPrint() {
    for (const button of document.querySelectorAll("[data-print]")) {
      button.hidden = false;
      button.addEventListener("click", () => window.print());
    }
  }

  function setUpFilter() {
    for (const input of document.querySelectorAll("[data-filter]")) {
      const area = document.querySelector(input.dataset.filter);
      const empty = document.querySelector("[data-filter-empty]");
      if (!area) {
        continue;
      }
      const apply = () => {
        const words = input.value.trim().toLowerCase();
        let shown = 0;
        for (const group of area.querySelectorAll("[data-filter-group]")) {
          let inGroup = 0;
          for (const item of group.querySelectorAll("[data-filter-item]")) {
            const hit = !words || item.dataset.filterText.toLowerCase().includes(words);
            item.hidden = !hit;
            inGroup += hit ? 1 : 0;
          }
          group.hidden = inGroup === 0;
          shown += inGroup;
        }
        if (empty) {
          empty.hidden = shown > 0;
        }
      };
      input.addEventListener("input", apply);
    }
  }

  document.addEventListener("DOMContentLoaded", () => {
    setUpPrint();
    setUpFilter();
  });
})();
