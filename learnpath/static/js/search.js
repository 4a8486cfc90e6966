// Progressive enhancement: the catalog follows the search box and filters as you type.
// Without JavaScript the form submits with its buttons and the server renders the same page.
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.URLSearchParams || !window.FormData ||
      !window.history || !window.history.replaceState) { return; }
  var form = document.getElementById("catalog-search");
  var input = document.getElementById("catalog-q");
  if (!form || !input) { return; }
  document.documentElement.classList.add("js");
  var status = document.getElementById("search-status");
  // The filters are a drawer on phones and an open column on wide screens.
  var wideScreen = window.matchMedia ? window.matchMedia("(min-width: 900px)") : null;
  function placeFilters(root) {
    var drawer = root.querySelector(".filter-drawer");
    if (!drawer || !wideScreen) { return; }
    drawer.classList.toggle("is-wide", wideScreen.matches);
    if (wideScreen.matches) { drawer.open = true; }
  }
  placeFilters(document);
  if (wideScreen && wideScreen.addEventListener) {
    wideScreen.addEventListener("change", function () { placeFilters(document); });
  }
  var timer = null;
  var latest = 0;
  var controller = null;

  function currentParams() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value === "" || (key === "sort" && value === "relevance")) { return; }
      params.append(key, value);
    });
    return params;
  }

  function refresh() {
    var params = currentParams();
    var pageUrl = form.action + (params.toString() ? "?" + params.toString() : "");
    params.set("partial", "1");
    var request = ++latest;
    if (controller) { controller.abort(); }
    controller = window.AbortController ? new AbortController() : null;
    var region = document.getElementById("search-region");
    if (region) { region.setAttribute("aria-busy", "true"); }
    fetch(form.action + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { "Accept": "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("search failed: " + response.status); }
      return response.text();
    }).then(function (html) {
      if (request !== latest) { return; }
      var page = new DOMParser().parseFromString(html, "text/html");
      var fresh = page.getElementById("search-region");
      var current = document.getElementById("search-region");
      if (!fresh || !current) { window.location.assign(pageUrl); return; }
      var focused = document.activeElement;
      var keep = focused && current.contains(focused) && focused.name ?
        "[name='" + focused.name + "'][value='" + (focused.value || "").replace(/'/g, "\\'") + "']" : null;
      var drawer = current.querySelector(".filter-drawer");
      var freshDrawer = fresh.querySelector(".filter-drawer");
      if (drawer && freshDrawer) { freshDrawer.open = drawer.open; }  // an open drawer stays open
      current.replaceWith(fresh);
      placeFilters(fresh);
      if (keep) {
        var again = fresh.querySelector(keep);
        if (again) { again.focus(); }  // a filter that was just changed keeps the focus
      }
      window.history.replaceState(null, "", pageUrl);
      if (status) { status.textContent = fresh.getAttribute("data-status") || ""; }
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      window.location.assign(pageUrl);
    });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 250);
  });
  form.addEventListener("change", function (event) {
    if (event.target !== input) { refresh(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    refresh();
  });
}());
