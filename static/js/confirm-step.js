// Asks before an irreversible step (issue 16): a form, or one of its submit buttons, marked
// data-confirm="<one line: what will happen and that it cannot be undone>" opens a modal <dialog>
// with the summary and "Đồng ý" / "Hủy" before it is sent; data-confirm-title (the dialog's heading)
// and data-confirm-button (the accepting button's label) are optional. The default labels come from the
// <template id="confirm-step-template"> in base.html (translated there). Without JavaScript the form
// is sent as before. The native <dialog> keeps keyboard focus inside; Escape cancels; focus goes back
// to the button that asked.
(function () {
  "use strict";

  var dialog = null;
  var pending = null; // {form, submitter}
  var confirmed = null; // the form whose next submit was confirmed

  function send(job) {
    // requestSubmit dispatches the submit event at once (or none when the form is invalid),
    // so the pass is given to this one submission only.
    confirmed = job.form;
    try {
      if (typeof job.form.requestSubmit === "function") {
        if (job.submitter) job.form.requestSubmit(job.submitter);
        else job.form.requestSubmit();
      } else {
        job.form.submit();
      }
    } finally {
      confirmed = null;
    }
  }

  function build() {
    if (dialog) return dialog;
    var tpl = document.getElementById("confirm-step-template");
    if (!tpl || !("content" in tpl)) return null;
    var node = tpl.content.firstElementChild.cloneNode(true);
    if (typeof node.showModal !== "function") return null;
    document.body.appendChild(node);
    dialog = node;
    dialog.querySelector("[data-confirm-cancel]").addEventListener("click", function () {
      dialog.close("cancel");
    });
    // The form is sent from the click itself (not from the dialog's later "close" event), so that
    // the navigation belongs to the user's click.
    dialog.querySelector("[data-confirm-accept]").addEventListener("click", function () {
      var job = pending;
      pending = null;
      dialog.close("accept");
      if (job) send(job);
    });
    dialog.addEventListener("close", function () {
      var job = pending;
      pending = null;
      if (job && job.submitter) job.submitter.focus();
    });
    return dialog;
  }

  function summaryFor(form, submitter) {
    if (submitter && submitter.hasAttribute("data-confirm")) {
      return submitter.getAttribute("data-confirm");
    }
    if (form.hasAttribute("data-confirm")) return form.getAttribute("data-confirm");
    return null;
  }

  function titleFor(form, submitter) {
    var source = submitter && submitter.hasAttribute("data-confirm-title") ? submitter : form;
    return source.getAttribute("data-confirm-title");
  }

  window.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      var submitter = event.submitter || null;
      var summary = summaryFor(form, submitter);
      if (!summary) return;
      if (confirmed === form) return;
      var box = build();
      if (!box) {
        if (!window.confirm(summary)) {
          event.preventDefault();
          event.stopImmediatePropagation();
        }
        return;
      }
      event.preventDefault();
      event.stopImmediatePropagation();
      var title = titleFor(form, submitter);
      var heading = box.querySelector("[data-confirm-title]");
      heading.textContent = title || heading.getAttribute("data-default");
      box.querySelector("[data-confirm-summary]").textContent = summary;
      var accept = box.querySelector("[data-confirm-accept]");
      var label =
        (submitter && submitter.getAttribute("data-confirm-button")) || form.getAttribute("data-confirm-button");
      accept.textContent = label || accept.getAttribute("data-default");
      pending = { form: form, submitter: submitter };
      box.returnValue = "";
      box.showModal();
      box.querySelector("[data-confirm-cancel]").focus();
    },
    true
  );
})();
