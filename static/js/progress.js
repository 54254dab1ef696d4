// Long work shows its progress (templates/admin/progress.html, core/progress.py): ask the
// status URL every few seconds, move the bar and its text, update the figures named by
// data-progress-figure, and stop once the work is finished. Only then is anything said to
// screen readers (once, through [data-progress-announce]); with data-progress-region, the
// part of the page with that id is then taken from a fresh copy of the page.
(function () {
  "use strict";

  var MAX_FAILURES = 5;

  function follow(box) {
    var url = box.getAttribute("data-progress-url");
    var pause = (Number(box.getAttribute("data-progress-interval")) || 2) * 1000;
    var bar = box.querySelector("progress");
    var text = box.querySelector("[data-progress-text]");
    var refresh = box.querySelector("[data-progress-refresh]");
    var refreshHtml = refresh ? refresh.innerHTML : "";
    var failures = 0;

    if (refresh) refresh.textContent = "";

    function show(data) {
      box.setAttribute("data-progress-state", data.state);
      if (data.total) {
        bar.max = data.total;
        bar.value = Math.min(data.done, data.total);
      } else if (data.finished) {
        bar.max = 1;
        bar.value = 1;
      } else {
        bar.removeAttribute("value"); // not known yet: the bar shows that it is busy
      }
      if (text) text.textContent = data.label;
      var figures = data.figures || {};
      Object.keys(figures).forEach(function (name) {
        document.querySelectorAll('[data-progress-figure="' + name + '"]').forEach(function (el) {
          el.textContent = Number(figures[name]).toLocaleString("en-GB");
        });
      });
    }

    function announce(message) {
      var live = document.querySelector("[data-progress-announce]");
      if (live && message) live.textContent = message;
    }

    function reloadRegion() {
      var id = box.getAttribute("data-progress-region");
      if (!id) return;
      fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.text();
        })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) current.replaceWith(document.importNode(fresh, true));
        })
        .catch(giveUp);
    }

    function giveUp() {
      if (refresh) refresh.innerHTML = refreshHtml || '<a href="">Refresh the page</a>.';
    }

    function ask() {
      fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) {
          failures = 0;
          show(data);
          if (data.finished) {
            announce(data.message);
            reloadRegion();
          } else {
            window.setTimeout(ask, pause);
          }
        })
        .catch(function () {
          failures += 1;
          if (failures >= MAX_FAILURES) {
            giveUp();
          } else {
            window.setTimeout(ask, pause * (failures + 1));
          }
        });
    }

    window.setTimeout(ask, pause);
  }

  document.querySelectorAll("[data-progress-url]").forEach(function (box) {
    if (!box.hasAttribute("data-progress-finished")) follow(box);
  });
})();
