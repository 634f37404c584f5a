// Keys for the duplicates queue: "m" merges with the values chosen, "n" says not duplicates (on the list,
// the pair holding the focus, else the first), "j" goes to the next pair. Every action is also a button or
// a link reachable with Tab; these only save keystrokes.
(function () {
  const ACTIONS = { m: "merge", n: "distinct", j: "next" };

  function typing(element) {
    return element && element.closest("textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])");
  }

  function currentPair() {
    const focused = document.activeElement;
    return (focused && focused.closest("[data-pair]")) || null;
  }

  function nextPair() {
    const link = document.querySelector("[data-shortcut=next]");
    if (link) { link.click(); return; }
    const pairs = Array.from(document.querySelectorAll("[data-pair]"));
    const at = pairs.indexOf(currentPair());
    const next = pairs[at + 1] || pairs[0];
    if (next) next.querySelector("a, button").focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || typing(event.target)) return;
    const action = ACTIONS[event.key];
    if (!action) return;
    if (action === "next") { event.preventDefault(); nextPair(); return; }
    // On the list, a decision needs a pair holding the focus; the pair page has one pair.
    const scope = currentPair() || (document.querySelector("[data-pair]") ? null : document);
    const element = scope && scope.querySelector("[data-shortcut=" + action + "]");
    if (!element) return;
    event.preventDefault();
    element.click();
  });

  // After a decision from the list, the list is new: put the focus on its note so nothing is lost.
  document.addEventListener("htmx:afterSettle", function () {
    const note = document.getElementById("duplicate-note");
    if (note) note.focus();
  });
})();
