// Mitreden: small enhancements on top of pages that work without JavaScript.
// Loaded with the CSP nonce; no inline handlers, no external code, no tokens (the browser never holds one).
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/\{(\d+)\}/g, function (_, i) { return values[Number(i)]; });
  }

  // Error summaries get focus, so screen readers announce them and keyboard users start there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // --- Ballots -----------------------------------------------------------------------------------
  document.querySelectorAll("form[data-ballot]").forEach(function (form) {
    var counter = form.querySelector("[data-counter]");
    var method = form.getAttribute("data-ballot");

    function money(value) {
      var locale = counter.getAttribute("data-currency-locale") || "de-DE";
      return new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", maximumFractionDigits: 0 }).format(value);
    }

    function update() {
      if (!counter) { return; }
      if (method === "budget") {
        var budget = Number(counter.getAttribute("data-budget"));
        var spent = 0;
        form.querySelectorAll("input[type=checkbox][name=Selected]:checked").forEach(function (box) {
          spent += Number(box.getAttribute("data-cost") || 0);
        });
        var over = spent > budget;
        counter.textContent = format(counter.getAttribute(over ? "data-template-over" : "data-template"), [money(spent), money(budget)]);
        counter.classList.toggle("is-over", over);
      } else if (method === "cumulative") {
        var dots = Number(counter.getAttribute("data-dots"));
        var used = 0;
        form.querySelectorAll("input[data-points]").forEach(function (input) { used += Math.max(0, Number(input.value) || 0); });
        var tooMany = used > dots;
        counter.textContent = format(counter.getAttribute(tooMany ? "data-template-over" : "data-template"), tooMany ? [used - dots, dots] : [dots - used, dots]);
        counter.classList.toggle("is-over", tooMany);
      } else {
        var chosen = form.querySelectorAll("input[type=checkbox][name=Selected]:checked").length;
        var max = counter.getAttribute("data-max");
        if (!max) {
          counter.textContent = format(counter.getAttribute("data-template"), [chosen]);
          return;
        }
        max = Number(max);
        var exceeded = chosen > max;
        counter.textContent = format(counter.getAttribute(exceeded ? "data-template-over" : "data-template"), exceeded ? [chosen - max, max] : [max - chosen, max]);
        counter.classList.toggle("is-over", exceeded);
      }
    }

    form.addEventListener("change", update);
    form.addEventListener("input", update);

    // Ranking: move with the buttons (keyboard) or by dragging; the hidden inputs follow the list order.
    var list = form.querySelector("[data-ranking]");
    if (list) {
      var status = form.querySelector("[data-rank-status]");
      var refresh = function () {
        var items = list.querySelectorAll("li");
        items.forEach(function (li, index) {
          li.querySelector("[data-move=up]").disabled = index === 0;
          li.querySelector("[data-move=down]").disabled = index === items.length - 1;
        });
      };
      var announce = function (li) {
        var position = Array.prototype.indexOf.call(list.children, li) + 1;
        var title = li.querySelector(".rank-title").textContent;
        if (status) { status.textContent = format(status.getAttribute("data-template"), [title, position]); }
      };
      list.addEventListener("click", function (event) {
        var button = event.target.closest("[data-move]");
        if (!button) { return; }
        event.preventDefault();
        var li = button.closest("li");
        if (button.getAttribute("data-move") === "up" && li.previousElementSibling) {
          list.insertBefore(li, li.previousElementSibling);
        } else if (button.getAttribute("data-move") === "down" && li.nextElementSibling) {
          list.insertBefore(li.nextElementSibling, li);
        }
        refresh();
        announce(li);
        var again = li.querySelector("[data-move=" + button.getAttribute("data-move") + "]");
        (again && !again.disabled ? again : li.querySelector("[data-move]:not([disabled])")).focus();
      });
      var dragged = null;
      list.addEventListener("dragstart", function (event) {
        dragged = event.target.closest("li");
        if (!dragged) { return; }
        dragged.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", dragged.getAttribute("data-option"));
      });
      list.addEventListener("dragover", function (event) {
        if (!dragged) { return; }
        event.preventDefault();
        var over = event.target.closest("li");
        if (!over || over === dragged) { return; }
        var rect = over.getBoundingClientRect();
        list.insertBefore(dragged, event.clientY > rect.top + rect.height / 2 ? over.nextElementSibling : over);
      });
      list.addEventListener("dragend", function () {
        if (!dragged) { return; }
        dragged.classList.remove("is-dragging");
        refresh();
        announce(dragged);
        dragged = null;
      });
      refresh();
    }
  });

  // --- Live results (server-sent events through the web app; only while the page is visible) ---------
  var results = document.querySelector("[data-results][data-live]");
  if (results && window.EventSource) {
    var source = null;
    var maxWidth = Number(results.getAttribute("data-max-width"));
    var locale = document.documentElement.lang === "en" ? "en-GB" : "de-DE";
    var number = function (value) { return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(value); };
    var statusLine = document.querySelector("[data-results-status]");

    var apply = function (data) {
      var max = 1;
      data.options.forEach(function (o) { max = Math.max(max, Number(o.total)); });
      data.options.forEach(function (o) {
        var row = results.querySelector('[data-row="' + o.optionId + '"]');
        if (row) {
          var set = function (cell, value) { var el = row.querySelector('[data-cell="' + cell + '"]'); if (el) { el.textContent = value; } };
          set("rank", o.rank + (o.tied ? "*" : ""));
          set("online", number(o.online));
          set("inPerson", number(o.inPerson));
          set("total", number(o.total));
          if (o.average !== null && o.average !== undefined) { set("average", number(o.average)); }
        }
        var bar = results.querySelector('[data-bar="' + o.optionId + '"]');
        if (bar) {
          var online = Number(o.online) / max * maxWidth;
          var inPerson = Number(o.inPerson) / max * maxWidth;
          var onlineRect = bar.querySelector('[data-part="online"]');
          var inPersonRect = bar.querySelector('[data-part="in-person"]');
          var label = bar.querySelector('[data-part="label"]');
          onlineRect.setAttribute("width", online.toFixed(2));
          inPersonRect.setAttribute("x", (Number(onlineRect.getAttribute("x")) + online).toFixed(2));
          inPersonRect.setAttribute("width", inPerson.toFixed(2));
          label.setAttribute("x", (Number(onlineRect.getAttribute("x")) + online + inPerson + 6).toFixed(2));
          label.textContent = number(o.total);
        }
      });
      if (statusLine && results.getAttribute("data-template-status")) {
        var voters = statusLine.querySelector("[data-voters]");
        if (voters) { voters.textContent = format(results.getAttribute("data-template-status"), [number(data.voters)]); }
      }
    };

    var open = function () {
      if (source) { return; }
      source = new EventSource(results.getAttribute("data-live"));
      source.addEventListener("tally", function (event) {
        try { apply(JSON.parse(event.data)); } catch (e) { /* keep the last numbers */ }
      });
    };
    var close = function () { if (source) { source.close(); source = null; } };
    document.addEventListener("visibilitychange", function () { if (document.hidden) { close(); } else { open(); } });
    if (!document.hidden) { open(); }
  }

  // --- Moderation shortcuts: a = approve, h = hide (focus the reason), n = next -------------------------
  var moderation = document.querySelector("[data-moderation]");
  if (moderation) {
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(target.tagName) && target.type !== "submit")) { return; }
      var key = event.key.toLowerCase();
      var action = moderation.querySelector('[data-shortcut="' + key + '"]');
      if (!action) { return; }
      event.preventDefault();
      if (key === "h") {
        action.focus();
      } else {
        action.click();
      }
    });
  }
})();
