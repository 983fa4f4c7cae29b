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
    onStatus: function (s) {
      status.textContent = s; status.dataset.status = s;
      if (s === "synced" && wantedLine && window.scriptEditor) { window.scriptEditor.scrollToLine(wantedLine); wantedLine = 0; }
    },
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
