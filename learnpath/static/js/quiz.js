// Progressive enhancement: check the knowledge check in place instead of reloading the page.
// Without JavaScript the form posts and the server renders the same result.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser) { return; }

  function replaceSection(page, id) {
    var fresh = page.getElementById(id);
    var current = document.getElementById(id);
    if (fresh && current) { current.replaceWith(fresh); }
    return fresh;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.closest("#quiz")) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.setAttribute("aria-busy", "true"); }
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin"
    }).then(function (response) {
      return response.text();
    }).then(function (html) {
      var page = new DOMParser().parseFromString(html, "text/html");
      var quiz = replaceSection(page, "quiz");
      if (!quiz) { form.submit(); return; }
      replaceSection(page, "done");
      var status = quiz.querySelector("[role=alert]") || quiz.querySelector("[role=status]") ||
        quiz.querySelector("h2");
      if (status) {
        status.setAttribute("tabindex", "-1");
        status.focus();
      }
    }).catch(function () { form.submit(); });
  });
}());
