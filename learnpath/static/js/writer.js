// The form editor: progressive enhancement, the page is a complete form without it.
// - the body textarea becomes an EasyMDE editor (vendored) with a small text toolbar;
// - the image toolbar button uploads to the module's asset endpoint and inserts the Markdown;
// - while the author types, the whole form is posted to the server's preview endpoint, which
//   composes the file, renders it as publishing does and returns the estimate and problems;
// - on narrow screens, "Write" and "Preview" tabs switch between the form and the preview.
(function () {
  "use strict";

  var form = document.getElementById("writer");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) {
    return;
  }
  var DELAY_MS = 700;
  var body = form.querySelector("textarea[name=body]");
  var status = document.getElementById("preview-status");
  var timer = null;
  var controller = null;
  var dirty = false;
  var submitting = false;
  var editor = null;
  var label = function (name) { return form.getAttribute("data-label-" + name) || name; };

  function setStatus(text) {
    if (status) { status.textContent = text || ""; }
  }

  function replacePart(doc, id) {
    var fresh = doc.getElementById(id);
    var current = document.getElementById(id);
    if (fresh && current) {
      current.innerHTML = fresh.innerHTML;  // rendered and sanitised by the server
    }
  }

  function formData() {
    if (editor) { editor.codemirror.save(); }
    var data = new FormData(form);
    data.delete("image");
    return data;
  }

  function refresh() {
    timer = null;
    if (controller && window.AbortController) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST", body: formData(), credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("preview failed: " + response.status); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      ["writer-estimate", "writer-problems", "writer-prompts", "preview-body"].forEach(
        function (id) { replacePart(doc, id); });
      setStatus("");
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      setStatus(form.getAttribute("data-preview-error") || "");
    });
  }

  function schedule() {
    dirty = true;
    if (timer !== null) { window.clearTimeout(timer); }
    timer = window.setTimeout(refresh, DELAY_MS);
  }

  function insertAtCursor(text) {
    if (editor) {
      var cm = editor.codemirror;
      cm.replaceSelection(text);
      cm.focus();
    } else if (body) {
      var start = body.selectionStart || body.value.length;
      body.value = body.value.slice(0, start) + text + body.value.slice(start);
    }
    schedule();
  }

  function uploadImage() {
    var input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg,image/gif,image/webp";
    input.addEventListener("change", function () {
      if (!input.files || !input.files[0]) { return; }
      var data = new FormData();
      data.append("image", input.files[0]);
      data.append("alt", input.files[0].name.replace(/\.[^.]+$/, "").replace(/[-_]+/g, " "));
      var token = form.querySelector("input[name=csrf_token]");
      if (token) { data.append("csrf_token", token.value); }
      fetch(form.getAttribute("data-upload-url"), {
        method: "POST", body: data, credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        return response.json().then(function (json) { return [response.ok, json]; });
      }).then(function (result) {
        if (!result[0]) { throw new Error(result[1].error || ""); }
        insertAtCursor("\n" + result[1].markdown + "\n");
      }).catch(function (error) {
        window.alert((form.getAttribute("data-upload-failed") || "") + " " + (error.message || ""));
      });
    });
    input.click();
  }

  function startEditor() {
    if (!body || !window.EasyMDE) { return; }
    var aside = form.getAttribute("data-aside-text") || "";
    editor = new window.EasyMDE({
      element: body,
      spellChecker: false,             // it would fetch dictionaries from a CDN
      autoDownloadFontAwesome: false,  // the same: our buttons are text
      forceSync: true,
      status: false,
      minHeight: "18rem",
      previewRender: function () { return ""; },
      toolbar: [
        { name: "heading", action: window.EasyMDE.toggleHeading2, text: "H", title: label("heading") },
        { name: "bold", action: window.EasyMDE.toggleBold, text: "B", title: label("bold") },
        { name: "italic", action: window.EasyMDE.toggleItalic, text: "I", title: label("italic") },
        { name: "unordered-list", action: window.EasyMDE.toggleUnorderedList, text: "•", title: label("list") },
        { name: "ordered-list", action: window.EasyMDE.toggleOrderedList, text: "1.", title: label("numbered") },
        { name: "link", action: window.EasyMDE.drawLink, text: label("link"), title: label("link") },
        { name: "image", action: uploadImage, text: label("image"), title: label("image") },
        { name: "code", action: window.EasyMDE.toggleCodeBlock, text: "</>", title: label("code") },
        { name: "aside", action: function () { insertAtCursor("\n!!! tip\n    " + aside + "\n"); },
          text: label("aside"), title: label("aside") }
      ]
    });
    editor.codemirror.on("change", schedule);
    // CodeMirror types into a textarea of its own: give it the name of the body field, so a
    // screen reader says what it is (the original textarea, now hidden, had the label).
    var labelled = document.querySelector('label[for="' + body.id + '"]');
    var input = editor.codemirror.getInputField();
    if (input) {
      input.setAttribute("aria-label", labelled ? labelled.textContent.trim() : body.name);
    }
  }

  function startTabs() {
    var grid = form.querySelector(".writer-grid");
    if (!grid) { return; }
    var tabs = document.createElement("div");
    tabs.className = "writer-tabs";
    tabs.setAttribute("role", "tablist");
    var panels = { write: document.getElementById("writer-main"), preview: document.getElementById("preview") };
    var buttons = {};
    function show(name) {
      grid.setAttribute("data-tab", name);
      Object.keys(buttons).forEach(function (key) {
        buttons[key].setAttribute("aria-selected", key === name ? "true" : "false");
      });
      if (name === "write" && editor) { editor.codemirror.refresh(); }
      if (name === "preview") { refresh(); }
    }
    ["write", "preview"].forEach(function (name) {
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "tab");
      button.setAttribute("aria-controls", panels[name].id);
      button.textContent = label(name);
      button.addEventListener("click", function () { show(name); });
      buttons[name] = button;
      tabs.appendChild(button);
    });
    grid.parentNode.insertBefore(tabs, grid);
    grid.classList.add("writer-tabbed");
    show("write");
  }

  startEditor();
  startTabs();
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function () {
    submitting = true;
    if (editor) { editor.codemirror.save(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = form.getAttribute("data-leave-warning") || "";
    }
  });
})();
