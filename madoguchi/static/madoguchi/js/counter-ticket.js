// The ticket page (and the waits page) stay current without a timed reload: every
// `data-refresh` seconds the page is fetched again and its status region replaced.
// On the reception tablet the page goes back to the services after `data-return` seconds.
const root = document.querySelector("[data-refresh], [data-return]");
if (root) {
  const refresh = Number(root.dataset.refresh || 0);
  if (refresh > 0) {
    window.setInterval(async () => {
      try {
        const response = await fetch(location.href, { headers: { Accept: "text/html" } });
        if (!response.ok) return;
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        document.querySelectorAll("[data-live]").forEach((region) => {
          const next = fresh.querySelector(`[data-live="${region.dataset.live}"]`);
          if (next && next.innerHTML !== region.innerHTML) region.innerHTML = next.innerHTML;
        });
      } catch (error) {
        // offline for a moment: the next round tries again
      }
    }, refresh * 1000);
  }
  if (root.dataset.return) {
    window.setTimeout(() => { location.href = root.dataset.returnUrl; },
      Number(root.dataset.return) * 1000);
  }
}
