/* Keyboard shortcuts for the comment moderation queue (CMS only).
 * Progressive enhancement: every action is a normal form button that works without
 * this script. j/k move, a approves, 1-9 pick a rejection reason, r rejects, x selects,
 * e picks as editors' recommendation, ? toggles the help. */
(function () {
  "use strict";
  var form = document.getElementById("moderation-form");
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-item]"));
  var position = form.querySelector("[data-position]");
  var help = document.getElementById("tastatur-hilfe");
  var current = -1;

  function focusItem(index) {
    if (!items.length) return;
    index = Math.max(0, Math.min(items.length - 1, index));
    if (current >= 0 && items[current]) items[current].classList.remove("is-current");
    current = index;
    var item = items[current];
    item.classList.add("is-current");
    item.setAttribute("aria-current", "true");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
  }

  function press(item, action) {
    var button = item.querySelector('[data-action="' + action + '"]');
    if (!button) return false;
    if (position) position.value = String(current);
    button.click();
    return true;
  }

  function typing(target) {
    var tag = target && target.tagName;
    return tag === "TEXTAREA" || (tag === "INPUT" && target.type !== "checkbox") || (target && target.isContentEditable);
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event.target)) return;
    if (event.target && event.target.tagName === "SELECT" && !event.target.hasAttribute("data-reason")) return;
    var key = event.key;
    if (key === "?") {
      if (help) help.open = !help.open;
      event.preventDefault();
      return;
    }
    if (!items.length) return;
    if (key === "j" || key === "ArrowDown" && event.target === items[current]) {
      focusItem(current + 1);
      event.preventDefault();
      return;
    }
    if (key === "k" || key === "ArrowUp" && event.target === items[current]) {
      focusItem(current - 1);
      event.preventDefault();
      return;
    }
    if (current < 0) focusItem(0);
    var item = items[current];
    var reason = item.querySelector("[data-reason]");
    if (key === "a") {
      if (press(item, "approve")) event.preventDefault();
    } else if (/^[1-9]$/.test(key) && reason) {
      var option = reason.options[Number(key)];
      if (option) {
        reason.value = option.value;
        event.preventDefault();
      }
    } else if (key === "r" && reason) {
      event.preventDefault();
      if (reason.value) {
        press(item, "reject");
      } else {
        reason.focus();
      }
    } else if (key === "Enter" && event.target === reason && reason.value) {
      event.preventDefault();
      press(item, "reject");
    } else if (key === "x") {
      var box = item.querySelector("[data-select]");
      if (box) {
        box.checked = !box.checked;
        event.preventDefault();
      }
    } else if (key === "e") {
      if (press(item, "pick")) event.preventDefault();
    } else if (key === "Escape" && event.target === reason) {
      focusItem(current);
    }
  });

  items.forEach(function (item, index) {
    item.addEventListener("click", function () {
      if (current !== index) {
        if (current >= 0 && items[current]) items[current].classList.remove("is-current");
        current = index;
        item.classList.add("is-current");
      }
    });
  });

  var start = parseInt(form.getAttribute("data-focus") || "0", 10);
  if (items.length) focusItem(isNaN(start) ? 0 : start);
})();
