// Paced reading on phones: a module with parts reads one card at a time, with progress,
// next/back buttons, arrow keys and swipes; the knowledge check and the finish are the last
// card. Wide screens and browsers without JavaScript get the whole page.
(function () {
  "use strict";
  var reader = document.querySelector("[data-reader].reader-paced");
  var controls = document.querySelector("[data-reader-controls]");
  if (!reader || !controls || !window.matchMedia) { return; }

  var phone = window.matchMedia("(max-width: 699.98px)");
  var cards = Array.prototype.slice.call(reader.querySelectorAll("[data-card]"));
  var bar = controls.querySelector("[data-reader-bar]");
  var position = controls.querySelector("[data-reader-position]");
  var back = controls.querySelector("[data-reader-back]");
  var next = controls.querySelector("[data-reader-next]");
  var current = 0;
  var active = false;

  function cardOf(id) {
    var target = id && document.getElementById(id);
    if (!target) { return -1; }
    for (var i = 0; i < cards.length; i += 1) {
      if (cards[i].contains(target)) { return i; }
    }
    return -1;
  }

  function render() {
    cards.forEach(function (card, i) { card.hidden = active && i !== current; });
    reader.classList.toggle("is-later", active && current > 0);
    bar.value = current + 1;
    position.textContent = String(current + 1);
    back.disabled = current === 0;
    next.disabled = current === cards.length - 1;
  }

  // focus: move it to the card (arrow keys, links), so Tab continues in the new part; a
  // button keeps it, so Enter turns the next page too, unless it has just become disabled.
  function show(index, focus, button) {
    current = Math.max(0, Math.min(cards.length - 1, index));
    render();
    if (!focus) { return; }
    reader.scrollIntoView({ block: "start" });
    if (button && !button.disabled) { return; }
    var card = cards[current];
    card.setAttribute("tabindex", "-1");
    card.focus({ preventScroll: true });
  }

  function setMode() {
    active = phone.matches;
    reader.classList.toggle("is-paced", active);
    controls.hidden = !active;
    if (!active) { cards.forEach(function (card) { card.hidden = false; }); }
    render();
  }

  back.addEventListener("click", function () { show(current - 1, true, back); });
  next.addEventListener("click", function () { show(current + 1, true, next); });

  // Links to a part (the contents list, footnotes, #done after marking as done) open its card.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href^='#']");
    if (!active || !link) { return; }
    var index = cardOf(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (index < 0) { return; }
    event.preventDefault();
    show(index, true);
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (target && target !== cards[index]) { target.scrollIntoView({ block: "start" }); }
  });

  function typing(element) {
    return element && element.closest &&
      element.closest("input, textarea, select, [contenteditable], .table-wrap, pre, summary");
  }

  document.addEventListener("keydown", function (event) {
    if (!active || event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) { return; }
    if (event.key === "ArrowRight") { event.preventDefault(); show(current + 1, true); }
    if (event.key === "ArrowLeft") { event.preventDefault(); show(current - 1, true); }
  });

  // A horizontal swipe over the text turns the card; tables and code still scroll sideways.
  var startX = null;
  var startY = null;
  reader.addEventListener("touchstart", function (event) {
    var touch = event.changedTouches[0];
    startX = typing(event.target) ? null : touch.clientX;
    startY = touch.clientY;
  }, { passive: true });
  reader.addEventListener("touchend", function (event) {
    if (!active || startX === null) { return; }
    var touch = event.changedTouches[0];
    var dx = touch.clientX - startX;
    var dy = touch.clientY - startY;
    startX = null;
    if (Math.abs(dx) < 60 || Math.abs(dx) < 1.5 * Math.abs(dy)) { return; }
    show(current + (dx < 0 ? 1 : -1), true);
  }, { passive: true });

  // A link from elsewhere on the page or the address bar (#done) opens the card it points to.
  window.addEventListener("hashchange", function () {
    var index = cardOf(decodeURIComponent(window.location.hash.slice(1)));
    if (active && index >= 0) { show(index, true); }
  });

  if (phone.addEventListener) { phone.addEventListener("change", setMode); }
  setMode();
  var start = cardOf(decodeURIComponent(window.location.hash.slice(1)));
  show(start < 0 ? 0 : start, false);
  if (start > 0) { reader.scrollIntoView({ block: "start" }); }
}());
