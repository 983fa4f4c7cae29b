// Error responses from our views carry HX-Reswap: none plus out-of-band messages, so let htmx
// process 4xx bodies instead of dropping them.
document.addEventListener("DOMContentLoaded", function () {
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: true },
    { code: "...", swap: false, error: true },
  ];
});
// The job form shows the parameters of the chosen kind only (hidden ones are disabled, so they
// are not sent).
document.addEventListener("change", function (e) {
  if (!e.target.matches("[data-kind-select]")) return;
  e.target.form.querySelectorAll("fieldset[data-kind]").forEach(function (set) {
    var on = set.dataset.kind === e.target.value;
    set.hidden = !on;
    set.disabled = !on;
  });
});
// Show the connection state of live sockets, so people know whether they see live updates: a dot
// beside each live part, and a banner while any socket of the page is reconnecting (the server closes
// them when Redis goes away; htmx keeps trying, and the socket re-sends the page's state on reconnect).
function showLiveBanner() {
  var banner = document.getElementById("live-banner");
  if (banner) banner.hidden = !document.querySelector('[data-live="reconnecting"]');
}
document.addEventListener("htmx:wsOpen", function (e) {
  e.target.closest("[data-live]")?.setAttribute("data-live", "connected");
  showLiveBanner();
});
document.addEventListener("htmx:wsClose", function (e) {
  e.target.closest("[data-live]")?.setAttribute("data-live", "reconnecting");
  showLiveBanner();
  // 4012: the server says live updates were interrupted (Redis went away or restarted). htmx retries
  // by itself only after abnormal closes, so connect again here; until Redis is back the handshake
  // fails abnormally and htmx keeps retrying.
  if (e.detail.event && e.detail.event.code === 4012 && document.body.contains(e.target)) {
    setTimeout(function () { e.detail.socketWrapper.reconnect(); }, 500 + Math.random() * 1000);
  }
});
// Rows carry data-seq. Whichever path delivers a job's state (socket push or an htmx response),
// an older state never replaces a newer one, and a row is never shown twice.
document.addEventListener("htmx:oobBeforeSwap", function (e) {
  var detail = e.detail;
  Array.from(detail.fragment.children || []).forEach(function (incoming) {
    if (!incoming.id || !incoming.dataset || !incoming.dataset.seq) return;
    var current = document.getElementById(incoming.id);
    if (!current || !current.dataset.seq) return;
    var newer = Number(incoming.dataset.seq) > Number(current.dataset.seq);
    if (detail.target === current) {
      if (!newer) detail.shouldSwap = false;
    } else if (newer) {
      current.remove();
    } else {
      incoming.remove();
    }
  });
});
// A slider marked data-show-value shows its value in the <output> of its label.
document.addEventListener("input", function (e) {
  if (!e.target.matches || !e.target.matches("[data-show-value]")) return;
  var output = e.target.previousElementSibling && e.target.previousElementSibling.querySelector("output");
  if (output) output.value = e.target.value;
});
// A form marked data-reset-on-success (a frame's note) empties itself once htmx has sent it.
document.addEventListener("htmx:afterRequest", function (e) {
  if (e.detail.successful && e.target.matches && e.target.matches("form[data-reset-on-success]")) e.target.reset();
});
// On the animatic page, a clip on the track jumps the player to it.
document.addEventListener("click", function (e) {
  var clip = e.target.closest(".film-clip[data-start]");
  var video = document.getElementById("animatic-video");
  if (!clip || !video) return;
  video.currentTime = Number(clip.dataset.start) + Number(clip.dataset.offset || 0);
  video.play();
});
// On a frame's page, the arrow keys step through the storyboard (not while typing).
document.addEventListener("keydown", function (e) {
  if (e.altKey || e.ctrlKey || e.metaKey || e.target.closest("input, textarea, select, [contenteditable]")) return;
  var link = document.getElementById(e.key === "ArrowLeft" ? "frame-previous" : e.key === "ArrowRight" ? "frame-next" : "");
  if (link) link.click();
});
