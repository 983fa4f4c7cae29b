// The script page: mounts the shared editor (static/build/editor.js) on #editor and wires the scene
// navigator and "Continue from cursor" to it. A static file, so the page needs no inline script.
(function () {
  var el = document.getElementById("editor");
  var status = document.getElementById("editor-status");
  var scheme = location.protocol === "https:" ? "wss" : "ws";
  // ?line=N (from a storyboard frame) opens the script at the lines the frame came from.
  var wantedLine = Number(new URLSearchParams(location.search).get("line") || 0);
  window.scriptEditor = FilmstudioEditor.mount(el, {
    wsUrl: scheme + "://" + location.host + "/ws/script",
    room: el.dataset.room,
    readOnly: el.dataset.readOnly === "1",
    user: { name: el.dataset.user, color: el.dataset.color },
    onNoteClick: function (id) {
      var item = document.getElementById("note-" + id);
      if (item) { item.scrollIntoView({ block: "nearest" }); item.classList.add("note--flash"); }
    },
    onStatus: function (s) {
      status.textContent = s; status.dataset.status = s;
      if (s === "synced" && wantedLine && window.scriptEditor) { window.scriptEditor.scrollToLine(wantedLine); wantedLine = 0; }
    },
  });
  // The notes panel (swapped by htmx and by the page's socket) carries each note's anchors: the editor
  // draws their words and margin marks from them.
  function showNotes() {
    var items = document.querySelectorAll("#script-notes [data-note]");
    window.scriptEditor.setNotes(Array.prototype.map.call(items, function (li) {
      return { id: li.dataset.note, start: li.dataset.start, end: li.dataset.end, resolved: li.dataset.resolved === "1" };
    }));
  }
  showNotes();
  var layout = document.querySelector(".script-layout");
  if (layout) new MutationObserver(function (changes) {
    if (changes.some(function (c) { return c.target.closest && c.target.closest(".script-notes"); })) showNotes();
  }).observe(layout, { childList: true, subtree: true });
  document.getElementById("note-form")?.addEventListener("htmx:configRequest", function (e) {
    var anchors = window.scriptEditor.selectionAnchors();
    e.detail.parameters.start = anchors ? anchors.start : "";
    e.detail.parameters.end = anchors ? anchors.end : "";
  });
  document.addEventListener("click", function (e) {
    var jump = e.target.closest("[data-note-jump]");
    if (!jump) return;
    e.preventDefault();
    window.scriptEditor.revealNote(jump.dataset.noteJump);
  });
  document.getElementById("continue-form")?.addEventListener("htmx:configRequest", function (e) {
    e.detail.parameters.cursor = window.scriptEditor.view.state.selection.main.head;
  });
  document.addEventListener("click", function (e) {
    var link = e.target.closest("[data-line]");
    if (!link) return;
    e.preventDefault();
    window.scriptEditor.scrollToLine(Number(link.dataset.line));
  });
})();
