// The files panel of a video call (templates/meetings/_files.html; htmx does the requests).
// Shows the form while the person is in the call, refuses a too large file before sending
// it (the server checks again), shows the upload's progress, clears the form after a
// successful share, and tells screen-reader users when someone else shared a file.

const section = document.getElementById("meeting-files");

if (section) {
  const form = document.getElementById("meeting-files-form");
  const input = form.querySelector('input[type="file"]');
  const progress = document.getElementById("meeting-files-progress");
  const maxBytes = Number(input.dataset.maxBytes || 0);
  let known = null;
  let sharing = false;

  function say(text, ok) {
    const message = document.getElementById("meeting-files-message");
    message.textContent = text;
    message.className = `meeting-files__message notice ${ok ? "notice--success" : "notice--error"}`;
    message.setAttribute("role", ok ? "status" : "alert");
  }

  function listChanged(list) {
    form.hidden = list.dataset.canShare !== "true";
    const count = list.querySelectorAll("li").length;
    if (known !== null && count > known && !sharing) say(section.dataset.newFile, true);
    known = count;
    sharing = false;
  }

  input.addEventListener("change", () => {
    const file = input.files[0];
    if (file && maxBytes && file.size > maxBytes) {
      say(input.dataset.tooLarge, false);
      input.value = "";
    }
  });
  form.addEventListener("htmx:beforeRequest", () => {
    sharing = true;
    progress.value = 0;
    progress.hidden = false;
  });
  form.addEventListener("htmx:xhr:progress", (event) => {
    if (event.detail.lengthComputable && event.detail.total) {
      progress.value = Math.round((100 * event.detail.loaded) / event.detail.total);
    }
  });
  form.addEventListener("htmx:afterRequest", () => {
    progress.hidden = true;
  });
  document.body.addEventListener("htmx:load", (event) => {
    const element = event.detail.elt;
    if (element.id === "meeting-files-list") listChanged(element);
    if (element.id === "meeting-files-message" && element.dataset.ok === "true") form.reset();
  });
  listChanged(document.getElementById("meeting-files-list"));
}
