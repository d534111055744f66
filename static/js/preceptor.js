/* Small page behaviours, kept out of the templates so the Content-Security-Policy can
   forbid inline script. Every page works without this file; it only makes some smoother.

   <button data-copy="id1 id2" [data-copy-status="id"] [hidden]>: copies the values of the
   named fields (joined by a blank line) to the clipboard. A hidden button is shown only
   when the browser offers a clipboard. The result is said in the status element if there
   is one, else on the button itself.

   <a data-focus="id" href="...">: focuses that field when it is on the page instead of
   following the link (which goes to a page with the same field). */
(function () {
  "use strict";

  function say(button, text) {
    var statusId = button.getAttribute("data-copy-status");
    var status = statusId && document.getElementById(statusId);
    if (status) {
      status.textContent = text;
    } else {
      button.textContent = text;
    }
  }

  function setUpCopy(button) {
    var ids = button.getAttribute("data-copy").split(/\s+/).filter(Boolean);
    if (button.hidden && navigator.clipboard) {
      button.hidden = false;
    }
    button.addEventListener("click", function () {
      var fields = ids.map(function (id) { return document.getElementById(id); })
        .filter(Boolean);
      if (!fields.length) { return; }
      var text = fields.map(function (f) { return f.value; }).join("\n\n");
      var select = function () {
        if (fields.length === 1 && fields[0].select) { fields[0].select(); }
      };
      if (!navigator.clipboard) {
        select();
        say(button, "Select the text and copy it.");
        return;
      }
      navigator.clipboard.writeText(text).then(function () {
        say(button, button.getAttribute("data-copy-status") ? "Copied." : "Copied");
      }, function () {
        select();
        say(button, "Select the text and copy it.");
      });
    });
  }

  function setUpFocus(link) {
    link.addEventListener("click", function (event) {
      var field = document.getElementById(link.getAttribute("data-focus"));
      if (field) {
        event.preventDefault();
        field.focus();
      }
    });
  }

  function init(root) {
    root.querySelectorAll("[data-copy]").forEach(setUpCopy);
    root.querySelectorAll("a[data-focus]").forEach(setUpFocus);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  // Content swapped in by htmx (the draft picker on the request page) gets the same.
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) { init(event.target); }
  });
})();
