/* Live ticker: asks every 15 seconds whether entries were added since the newest one
 * on the page and offers them ("3 neue Einträge"); a click puts them on top.
 * Progressive enhancement: without this script readers see new entries by reloading.
 * The answer (/live/<ticker>/seit/<entry>.json) is the same for every reader and cached
 * briefly by the server and nginx, so many readers cost little. */
(function () {
  "use strict";
  var ticker = document.querySelector("[data-live-updates][data-live-running]");
  if (!ticker || !window.fetch) return;
  var list = ticker.querySelector("[data-live-entries]");
  var notice = ticker.querySelector("[data-live-notice]");
  // With this script new entries are offered without a reload: the hint says otherwise.
  var hint = ticker.querySelector(".live__hint");
  if (hint) hint.hidden = true;
  var base = ticker.getAttribute("data-live-updates");
  var newest = parseInt(ticker.getAttribute("data-live-newest"), 10) || 0;
  var interval = 15000;
  var pending = null;
  var timer = null;

  function showNotice(data) {
    notice.textContent = "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live__load";
    button.textContent = data.notice;
    button.addEventListener("click", function () { load(); });
    notice.appendChild(button);
  }

  function load() {
    if (!pending) return;
    var template = document.createElement("template");
    template.innerHTML = pending.html;
    var fresh = template.content.querySelectorAll("li[id]");
    for (var i = fresh.length - 1; i >= 0; i--) {
      var old = document.getElementById(fresh[i].id);
      if (old) old.parentNode.removeChild(old);
      fresh[i].classList.add("live-entry--new");
      list.insertBefore(fresh[i], list.firstChild);
    }
    newest = pending.newest;
    pending = null;
    notice.textContent = "";
    var first = list.querySelector("li");
    if (first) {
      first.setAttribute("tabindex", "-1");
      first.focus({ preventScroll: false });
    }
  }

  function poll() {
    timer = null;
    if (document.hidden) return;
    fetch(base + newest + ".json", { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.count > 0 && data.newest > newest) {
          pending = { html: data.html, newest: data.newest };
          showNotice(data);
        }
        if (data && !data.running) return; // the ticker has ended: nothing more will come
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    if (!timer) timer = window.setTimeout(poll, interval);
  }

  // Back on the tab: ask at once instead of waiting for the next turn.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) return;
    if (timer) window.clearTimeout(timer);
    poll();
  });
  schedule();
})();
