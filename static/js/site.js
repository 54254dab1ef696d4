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

  enhanceCopyLinks();
  enhanceEmbeds();
})();
