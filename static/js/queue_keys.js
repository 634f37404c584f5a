// Keys of a curation queue's reading view: j/k move between suggestions, a accepts and r rejects the focused
// one, n is "Done, next", p "Previous", ? shows the keys. Each key presses a button or follows a link that
// also works by mouse and without this script.
(function () {
  const root = document.querySelector("[data-queue-keys]");
  if (!root) return;
  const offers = () => Array.from(root.querySelectorAll(".offer"));
  const help = document.getElementById("keys-help");
  const helpButton = document.getElementById("keys-button");
  helpButton.hidden = help.hidden = false;
  helpButton.setAttribute("aria-expanded", "false");
  help.addEventListener("toggle", () => helpButton.setAttribute("aria-expanded", String(help.open)));
  helpButton.addEventListener("click", toggleHelp);

  function toggleHelp() {
    help.open = !help.open;
  }

  function focused() {
    return document.activeElement && document.activeElement.closest(".offer");
  }

  function move(step) {
    const all = offers();
    if (!all.length) return;
    const index = all.indexOf(focused());
    const next = index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step));
    all[next].focus();
  }

  function press(key) {
    const offer = focused() || offers()[0];
    const button = offer && offer.querySelector(`button[data-key="${key}"]`);
    if (button) button.click();
  }

  const actions = {
    j: () => move(1),
    k: () => move(-1),
    a: () => press("a"),
    r: () => press("r"),
    n: () => document.getElementById("done-form").requestSubmit(),
    p: () => { const back = document.getElementById("previous-link"); if (back) back.click(); },
    "?": toggleHelp,
  };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select, [contenteditable]")) return;
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  });

  // After a decision (the panel swapped in place, or the page reloaded without htmx) go on from the first
  // suggestion left, so j/a/r carry on.
  function focusFirst() {
    const first = offers()[0];
    if (first) first.focus({ preventScroll: true });
  }
  document.body.addEventListener("htmx:load", function (event) {
    if (event.target.id === "queue-panel") focusFirst();  // a decision's answer, swapped in place
  });
  if (!location.hash) focusFirst();
})();
