// Live preview for the module editor: progressive enhancement, the page works without it.
// While the author types, the form is posted (with its CSRF token) to the server's preview
// endpoint, which renders and sanitises the text exactly as publishing does; the returned
// fragment replaces the problem list and the preview panel.
(function () {
  "use strict";

  var DELAY_MS = 600;
  var form = document.querySelector("form[data-preview-url]");
  if (!form || !window.fetch || !window.DOMParser || !window.FormData) {
    return;
  }
  var source = form.querySelector("textarea[name=source]");
  var status = document.getElementById("preview-status");
  var timer = null;
  var controller = null;
  var lastSent = null;
  var dirty = false;
  var submitting = false;

  function setStatus(text) {
    if (status) {
      status.textContent = text || "";
    }
  }

  function replacePart(doc, id) {
    var fresh = doc.getElementById(id);
    var current = document.getElementById(id);
    if (fresh && current) {
      current.innerHTML = fresh.innerHTML;  // server-rendered and sanitised
    }
  }

  function refresh() {
    timer = null;
    var data = new FormData(form);
    var key = JSON.stringify([data.get("source"), data.get("slug"), data.get("language")]);
    if (key === lastSent) {
      return;
    }
    lastSent = key;
    if (controller && window.AbortController) {
      controller.abort();
    }
    controller = window.AbortController ? new AbortController() : null;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("preview failed: " + response.status);
      }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      replacePart(doc, "source-problems");
      replacePart(doc, "preview-body");
      setStatus("");
      if (source) {
        var invalid = doc.querySelector("#source-problems .field-error") !== null;
        if (invalid) {
          source.setAttribute("aria-invalid", "true");
        } else {
          source.removeAttribute("aria-invalid");
        }
      }
    }).catch(function (error) {
      if (error && error.name === "AbortError") {
        return;
      }
      lastSent = null;
      setStatus(form.getAttribute("data-preview-error") || "");
    });
  }

  function schedule() {
    dirty = true;
    if (timer !== null) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(refresh, DELAY_MS);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-leave-warning") || "";
    }
  });
})();
