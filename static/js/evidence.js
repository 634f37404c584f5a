// Quoting evidence: a selection inside an element marked data-evidence-field fills the tag form with
// the selected text, its field and its character offset in that field's plain text.
(function () {
  function offsetWithin(container, node, offset) {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let position = 0;
    while (walker.nextNode()) {
      if (walker.currentNode === node) return position + offset;
      position += walker.currentNode.textContent.length;
    }
    return null;
  }

  document.addEventListener("mouseup", quoteSelection);
  document.addEventListener("keyup", function (event) { if (event.shiftKey) quoteSelection(); });

  function quoteSelection() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    const container = range.startContainer.parentElement && range.startContainer.parentElement.closest("[data-evidence-field]");
    const form = document.getElementById("tag-form");
    if (!container || !form || !container.contains(range.endContainer)) return;
    const start = offsetWithin(container, range.startContainer, range.startOffset);
    const end = offsetWithin(container, range.endContainer, range.endOffset);
    if (start === null || end === null || end <= start) return;
    form.querySelector("[name=quote]").value = container.textContent.slice(start, end);
    form.querySelector("[name=start]").value = start;
    form.querySelector("[name=field]").value = container.dataset.evidenceField;
  }
})();
