// Keeps what the user typed in forms marked data-keep-input until the server has saved it (issue 16).
//
// No offline mode (a service worker queuing the save), on purpose: a save replayed later, when the
// network is back, would meet a report that may have moved on meanwhile (another person's save, the
// office's lock, a reviewer's approval) with nobody looking at the page: it would be refused unseen,
// or the person who typed would believe it had been sent. A quarter's figures are typed once, by a
// person who can press "Lưu" again: what the groups need is that nothing typed is lost and that a save
// that did not go says so. So the input stays in this browser (per user and object, with the version
// the page showed) until the server has saved it, and every save is sent online, by a person, through
// the same version and lock checks as any other.
//
// The page marks a form with data-keep-input="<user>:<object>" (the version the user saw is the
// form's hidden "version" input, kept with the draft and put back with it, so that a draft typed on
// an older version meets the conflict check). Optional: data-keep-input-storage="session" (kept for
// this tab only: the secret ballot), data-keep-input-unsaved (the server answered the form again,
// unsaved, with the typed input in its boxes). The texts come from <template id="keep-input-template">
// (templates/_keep_input.html, translated there). Never kept: passwords, hidden and file inputs, the
// CSRF token.
//
// A draft is cleared when the page after the save shows it was saved (the form's version moved on,
// or the page shows no error), or when what a page shows equals it. A save goes at once when the
// portal answered within the last minute (the page itself, or a look while the user types); otherwise,
// or when the browser knows it is offline, the portal is asked first, and when it cannot be reached the
// script says so beside the buttons and keeps the input.
// A form sent while the session had expired comes back after the login (phominh.middleware), where
// the draft is offered again. The same script moves focus to an error summary (data-error-summary).
(function () {
  "use strict";

  var PREFIX = "phominh-keep:";
  var SENT = "phominh-keep-sent"; // sessionStorage: the kept form this tab has just sent
  var KEPT_FIELD = "keep_input"; // posted with a kept form, read by phominh.middleware
  var MAX_AGE = 14 * 24 * 3600 * 1000; // drafts older than two weeks are dropped
  var SENT_MAX_AGE = 10 * 60 * 1000;
  var PROBE_TIMEOUT = 10000;
  var FRESH = 60000; // the portal answered less than a minute ago: send at once
  var REPROBE = 30000; // while typing, look again at most every 30 s
  var SKIPPED = { password: 1, hidden: 1, file: 1, submit: 1, button: 1, reset: 1, image: 1 };
  var script = document.currentScript;
  var probeUrl = script && script.src ? script.src : null;
  var dirty = [];
  var sending = null;
  var lastGood = Date.now(); // this page itself has just come from the portal
  var lastBad = 0;
  var probing = null;

  function storage(name) {
    try {
      return name === "session" ? window.sessionStorage : window.localStorage;
    } catch (e) {
      return null; // storage disabled: the forms work as before
    }
  }

  function storeName(form) {
    return form.getAttribute("data-keep-input-storage") === "session" ? "session" : "local";
  }

  function keyOf(form) {
    return PREFIX + form.getAttribute("data-keep-input");
  }

  function kept(el) {
    if (!el.name || el.disabled) return false;
    if (el.tagName !== "INPUT" && el.tagName !== "SELECT" && el.tagName !== "TEXTAREA") return false;
    if (SKIPPED[(el.type || "").toLowerCase()]) return false;
    if (el.name === "csrfmiddlewaretoken" || el.name === KEPT_FIELD) return false;
    if (/password/i.test(el.getAttribute("autocomplete") || "")) return false;
    return !el.hasAttribute("data-keep-input-skip");
  }

  function each(form, fn) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (kept(el)) fn(el);
    });
  }

  function snapshot(form) {
    var fields = {};
    each(form, function (el) {
      var list = fields[el.name] || (fields[el.name] = []);
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) list.push(el.value);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          if (o.selected) list.push(o.value);
        });
      } else {
        list.push(el.value);
      }
    });
    return fields;
  }

  function versionInput(form) {
    return form.querySelector('input[type="hidden"][name="version"]');
  }

  function versionOf(form) {
    var input = versionInput(form);
    return input ? input.value : "";
  }

  function read(store, key) {
    if (!store) return null;
    try {
      var record = JSON.parse(store.getItem(key) || "null");
      return record && record.fields ? record : null;
    } catch (e) {
      return null;
    }
  }

  function write(form) {
    var store = storage(storeName(form));
    if (!store) return;
    var record = { version: versionOf(form), at: Date.now(), fields: snapshot(form) };
    try {
      store.setItem(keyOf(form), JSON.stringify(record));
    } catch (e) {
      // full or refused: nothing more can be done here
    }
  }

  function forget(store, key) {
    try {
      if (store) store.removeItem(key);
    } catch (e) {
      // ignored
    }
  }

  function prune() {
    var store = storage("local");
    if (!store) return;
    var old = [];
    try {
      for (var i = 0; i < store.length; i++) {
        var key = store.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var record = read(store, key);
          if (!record || Date.now() - record.at > MAX_AGE) old.push(key);
        }
      }
    } catch (e) {
      return;
    }
    old.forEach(function (key) {
      forget(store, key);
    });
  }

  function sameAsShown(record, shown) {
    return Object.keys(record.fields).every(function (name) {
      return !(name in shown) || JSON.stringify(record.fields[name]) === JSON.stringify(shown[name]);
    });
  }

  function fire(el) {
    ["input", "change"].forEach(function (type) {
      el.dispatchEvent(new Event(type, { bubbles: true }));
    });
  }

  function apply(form, record) {
    // The version first: the draft was typed on it, and the server checks the save against it.
    var version = versionInput(form);
    if (version && record.version !== "" && record.version !== undefined) version.value = record.version;
    var seen = {};
    var first = null;
    each(form, function (el) {
      if (!(el.name in record.fields)) return;
      var values = record.fields[el.name];
      var before;
      if (el.type === "checkbox" || el.type === "radio") {
        before = el.checked;
        el.checked = values.indexOf(el.value) >= 0;
        if (before !== el.checked) fire(el);
        if (before !== el.checked && !first) first = el;
        return;
      }
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) {
          o.selected = values.indexOf(o.value) >= 0;
        });
        fire(el);
        return;
      }
      var index = seen[el.name] || 0;
      seen[el.name] = index + 1;
      if (index >= values.length) return;
      before = el.value;
      el.value = values[index];
      if (before !== el.value) {
        fire(el);
        if (!first) first = el;
      }
    });
    return first;
  }

  function markDirty(form) {
    if (dirty.indexOf(form) < 0) dirty.push(form);
  }

  function markClean(form) {
    var i = dirty.indexOf(form);
    if (i >= 0) dirty.splice(i, 1);
  }

  function fromTemplate(selector) {
    var tpl = document.getElementById("keep-input-template");
    if (!tpl || !tpl.content) return null;
    var node = tpl.content.querySelector(selector);
    return node ? node.cloneNode(true) : null;
  }

  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function timeText(at) {
    var d = new Date(at);
    var hm = pad(d.getHours()) + ":" + pad(d.getMinutes());
    if (d.toDateString() === new Date().toDateString()) return hm;
    return hm + " " + pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear();
  }

  function firstField(form) {
    var found = null;
    each(form, function (el) {
      if (!found && el.type !== "radio" && el.type !== "checkbox") found = el;
    });
    return found;
  }

  function offer(form, record, store) {
    var box = fromTemplate("[data-keep-input-offer]");
    if (!box) return;
    var question = box.querySelector("[data-keep-input-question]");
    question.textContent = question.getAttribute("data-text").replace("{time}", timeText(record.at));
    form.parentNode.insertBefore(box, form);
    form.keepInputOffer = box;
    function close(focus) {
      form.keepInputOffer = null;
      box.parentNode.removeChild(box);
      if (focus) focus.focus();
    }
    box.querySelector("[data-keep-input-restore]").addEventListener("click", function () {
      var changed = apply(form, record);
      write(form);
      markDirty(form);
      close(changed || firstField(form));
    });
    box.querySelector("[data-keep-input-discard]").addEventListener("click", function () {
      forget(store, keyOf(form));
      close(firstField(form));
      // What was typed since the question was asked is kept from now on.
      if (dirty.indexOf(form) >= 0) write(form);
    });
  }

  function onInput(event) {
    var el = event.target;
    var form = el && el.form;
    if (!form || !form.hasAttribute("data-keep-input") || !kept(el)) return;
    markDirty(form);
    // While the question is open, the earlier input is not overwritten: restoring it stays possible.
    if (!form.keepInputOffer) write(form);
    if (Date.now() - lastGood > REPROBE) probe();
  }

  function reachable() {
    if (navigator.onLine === false) return Promise.resolve(false);
    if (!probeUrl || !window.fetch) return Promise.resolve(true);
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      if (controller) controller.abort();
    }, PROBE_TIMEOUT);
    var url = probeUrl + (probeUrl.indexOf("?") < 0 ? "?" : "&") + "ket-noi=" + Date.now();
    return window
      .fetch(url, {
        method: "HEAD",
        cache: "no-store",
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
      .then(
        function () {
          return true; // any answer: the portal is reachable
        },
        function () {
          return false;
        }
      )
      .then(function (ok) {
        clearTimeout(timer);
        return ok;
      });
  }

  function probe() {
    if (!probing) {
      probing = reachable().then(function (ok) {
        probing = null;
        if (ok) lastGood = Date.now();
        else lastBad = Date.now();
        return ok;
      });
    }
    return probing;
  }

  // Known to be reachable: online, and the portal answered (the page, a probe) within the last minute
  // with no failure since. Then the form is sent at once, as without this script; otherwise the
  // portal is asked first.
  function knownReachable() {
    return navigator.onLine !== false && lastBad < lastGood && Date.now() - lastGood < FRESH;
  }

  function showOffline(form, submitter) {
    var box = form.keepInputOffline || fromTemplate("[data-keep-input-offline]");
    if (!box) return;
    form.keepInputOffline = box;
    if (box.parentNode) box.parentNode.removeChild(box); // inserted again: announced again
    var row = submitter && form.contains(submitter) ? submitter.parentNode : null;
    if (row && row !== form) row.parentNode.insertBefore(box, row);
    else form.parentNode.insertBefore(box, form);
    box.focus();
  }

  function hideOffline(form) {
    var box = form.keepInputOffline;
    if (box && box.parentNode) box.parentNode.removeChild(box);
  }

  function hidden(form, name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    input.setAttribute("data-keep-input-temp", "");
    form.appendChild(input);
  }

  // What goes with every kept form that is sent: the flag for the server, the note for the next page.
  function prepare(form) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-keep-input-temp]"), function (el) {
      el.parentNode.removeChild(el);
    });
    hidden(form, KEPT_FIELD, "1");
    var sent = { key: keyOf(form), version: versionOf(form), storage: storeName(form), at: Date.now() };
    try {
      window.sessionStorage.setItem(SENT, JSON.stringify(sent));
    } catch (e) {
      // without it the draft is cleared when a page shows it saved
    }
    hideOffline(form);
    markClean(form);
  }

  function send(form, submitter) {
    prepare(form);
    if (submitter && submitter.name) hidden(form, submitter.name, submitter.value);
    if (submitter && submitter.hasAttribute("formaction")) form.action = submitter.formAction;
    // The form's own submit: no second submit event (the confirmation, if any, was already given).
    HTMLFormElement.prototype.submit.call(form);
  }

  function onSubmit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-keep-input")) return;
    if (event.defaultPrevented) return;
    var submitter = event.submitter || null;
    if (form.keepInputOffer) {
      form.keepInputOffer.parentNode.removeChild(form.keepInputOffer);
      form.keepInputOffer = null;
    }
    write(form);
    if (sending !== form && knownReachable()) {
      prepare(form); // sent now, by the browser, as the user asked
      return;
    }
    event.preventDefault();
    if (sending === form) return;
    if (navigator.onLine === false) {
      markDirty(form);
      showOffline(form, submitter);
      return;
    }
    sending = form;
    probe().then(function (ok) {
      sending = null;
      if (ok) {
        send(form, submitter);
      } else {
        markDirty(form);
        showOffline(form, submitter);
      }
    });
  }

  function takeSent() {
    try {
      var sent = JSON.parse(window.sessionStorage.getItem(SENT) || "null");
      window.sessionStorage.removeItem(SENT);
      return sent && Date.now() - sent.at < SENT_MAX_AGE ? sent : null;
    } catch (e) {
      return null;
    }
  }

  function pageSaysNotSaved() {
    return !!document.querySelector(
      "[data-keep-input-login], [data-testid=error-page], main > .alert-danger, form[data-keep-input-unsaved]"
    );
  }

  function start() {
    prune();
    var sent = takeSent();
    var notSaved = pageSaysNotSaved();
    var sentHere = false;
    Array.prototype.forEach.call(document.querySelectorAll("form[data-keep-input]"), function (form) {
      var store = storage(storeName(form));
      var key = keyOf(form);
      var record = read(store, key);
      if (sent && sent.key === key) sentHere = true;
      if (form.hasAttribute("data-keep-input-unsaved")) {
        // Answered again, unsaved, with the typed input in its boxes: that is the draft now.
        write(form);
        markDirty(form);
        return;
      }
      var shown = snapshot(form);
      if (sent && sent.key === key && !notSaved) {
        var moved = !versionInput(form) || sent.version !== versionOf(form);
        if (moved || (record && sameAsShown(record, shown))) {
          forget(store, key); // the save went through
          return;
        }
      }
      if (!record) return;
      if (sameAsShown(record, shown)) {
        forget(store, key);
        return;
      }
      offer(form, record, store);
    });
    if (sent && !sentHere && !notSaved) forget(storage(sent.storage), sent.key); // saved, sent elsewhere

    var summary = document.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // Error summary links (the GOV.UK pattern): to the field itself, focused, its row in view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    event.preventDefault();
    var row = target.closest(".entry-row, .mb-3") || target;
    row.scrollIntoView({ block: "start" });
    target.focus({ preventScroll: true });
  });
  document.addEventListener("input", onInput, true);
  document.addEventListener("change", onInput, true);
  window.addEventListener("submit", onSubmit);
  window.addEventListener("beforeunload", function (event) {
    if (!dirty.length) return;
    event.preventDefault();
    event.returnValue = "";
  });
  window.addEventListener("offline", function () {
    lastBad = Date.now();
  });
  window.addEventListener("online", probe);
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    lastGood = 0; // a page kept from earlier: ask the portal before the next save
    Array.prototype.forEach.call(document.querySelectorAll("[data-keep-input-temp]"), function (el) {
      el.parentNode.removeChild(el);
    });
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
