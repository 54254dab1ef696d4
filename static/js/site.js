/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";

  /* "Copy link" share link becomes a button that copies the address to the clipboard. */
  function enhanceCopyLinks() {
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    document.querySelectorAll("[data-copy-link]").forEach(function (link) {
      var status = link.closest(".share")
        ? link.closest(".share").querySelector("[data-copy-status]")
        : null;
      var button = document.createElement("button");
      button.type = "button";
      button.className = link.className;
      button.textContent = link.textContent;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(link.href).then(
          function () {
            if (status) {
              status.textContent = "Link copied to the clipboard.";
            }
          },
          function () {
            if (status) {
              status.textContent = "Could not copy the link. The address is: " + link.href;
            }
          }
        );
      });
      link.replaceWith(button);
    });
  }

  /* Click-to-load videos: nothing is fetched from the provider until the reader asks. */
  function enhanceEmbeds() {
    document.querySelectorAll("[data-embed]").forEach(function (figure) {
      var button = figure.querySelector("[data-embed-src]");
      var placeholder = figure.querySelector(".embed__placeholder");
      if (!button || !placeholder) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var src;
        try {
          src = new URL(button.getAttribute("data-embed-src"));
        } catch (error) {
          return;
        }
        if (src.protocol !== "https:") {
          return;
        }
        src.searchParams.set("autoplay", "1");
        var frame = document.createElement("iframe");
        frame.className = "embed__frame";
        frame.src = src.toString();
        frame.title = button.getAttribute("data-embed-title") || "Video";
        frame.loading = "lazy";
        frame.allowFullscreen = true;
        frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
        frame.referrerPolicy = "strict-origin-when-cross-origin";
        var note = placeholder.querySelector(".embed__note");
        if (note) {
          note.remove();
        }
        button.remove();
        placeholder.insertBefore(frame, placeholder.firstChild);
        frame.focus();
      });
    });
  }

  /* Character counters on comment boxes. */
  function enhanceCounters() {
    document.querySelectorAll("textarea[data-counter]").forEach(function (area) {
      var counter = document.getElementById(area.getAttribute("data-counter"));
      var limit = parseInt(area.getAttribute("maxlength"), 10);
      if (!counter || !limit) {
        return;
      }
      var update = function () {
        var left = limit - area.value.length;
        counter.textContent = left + " characters left";
      };
      area.addEventListener("input", update);
      update();
    });
  }

  /* A page served from cache carries no CSRF token: fetch one when the reader starts writing,
     so nothing is set for readers who only read. */
  function enhanceCommentForms() {
    document.querySelectorAll("form[data-comment-form]").forEach(function (form) {
      var tokenInput = form.querySelector("input[name=csrfmiddlewaretoken]");
      var started = form.querySelector("input[name=started]");
      var fetched = false;
      var fetchToken = function () {
        if (fetched || !tokenInput || tokenInput.value) {
          return;
        }
        fetched = true;
        fetch(form.getAttribute("data-token-url"), { credentials: "same-origin" })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (data) {
            if (data) {
              tokenInput.value = data.csrf;
              if (started && !started.value) {
                started.value = data.started;
              }
            }
          })
          .catch(function () {
            fetched = false;
          });
      };
      form.addEventListener("focusin", fetchToken);
      form.addEventListener("input", fetchToken);
    });

    /* Reply links move the form under the comment instead of opening another page. */
    var form = document.querySelector("form#comment-form[data-comment-form]");
    if (!form) {
      return;
    }
    var parent = form.querySelector("input[name=parent]");
    var title = form.querySelector(".comment-form__title");
    var home = form.parentNode;
    var marker = document.createComment("comment form");
    home.insertBefore(marker, form);
    document.querySelectorAll("a[data-reply-to]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!parent) {
          return;
        }
        event.preventDefault();
        parent.value = link.getAttribute("data-reply-to");
        title.textContent = "Reply to " + link.getAttribute("data-reply-name");
        link.closest("article").after(form);
        var cancel = form.querySelector("[data-cancel-reply]");
        if (!cancel) {
          cancel = document.createElement("button");
          cancel.type = "button";
          cancel.className = "button button--secondary";
          cancel.setAttribute("data-cancel-reply", "");
          cancel.textContent = "Cancel reply";
          cancel.addEventListener("click", function () {
            parent.value = "";
            title.textContent = "Write a comment";
            marker.after(form);
            cancel.remove();
          });
          form.appendChild(cancel);
        }
        form.querySelector("textarea").focus();
      });
    });
  }

  enhanceCopyLinks();
  enhanceEmbeds();
  enhanceCounters();
  enhanceCommentForms();
})();
