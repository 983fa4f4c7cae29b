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
// Show the connection state of live sockets, so people know whether they see live updates.
document.addEventListener("htmx:wsOpen", function (e) {
  e.target.closest("[data-live]")?.setAttribute("data-live", "connected");
});
document.addEventListener("htmx:wsClose", function (e) {
  e.target.closest("[data-live]")?.setAttribute("data-live", "reconnecting");
});
