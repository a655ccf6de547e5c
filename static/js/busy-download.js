// A download that takes a few seconds to make (the quarterly progress report in PDF, about 5 s)
// shows that it is being made (issue 16): a link marked data-busy-download is fetched here, the
// button is disabled and shows a spinner and data-busy-text ("Đang tạo báo cáo PDF…") in a live
// region, then the file is saved under the name the server gives. A failure (the network, an error
// page) says data-busy-error beside the button and lets the user try again. Without JavaScript, or
// without fetch/Blob, the link downloads as before.
(function () {
  "use strict";

  function filenameOf(response, fallback) {
    var header = response.headers.get("Content-Disposition") || "";
    var star = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (star) return decodeURIComponent(star[1]);
    var plain = /filename="?([^";]+)"?/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  function statusBox(link) {
    var id = link.getAttribute("aria-describedby");
    var box = id && document.getElementById(id);
    if (box) return box;
    box = document.createElement("span");
    box.id = "busy-" + Math.random().toString(36).slice(2);
    box.className = "busy-status small ms-2 align-self-center";
    box.setAttribute("role", "status");
    box.setAttribute("aria-live", "polite");
    box.setAttribute("data-testid", "busy-status");
    link.insertAdjacentElement("afterend", box);
    link.setAttribute("aria-describedby", box.id);
    return box;
  }

  function setBusy(link, busy) {
    link.classList.toggle("disabled", busy);
    link.setAttribute("aria-disabled", busy ? "true" : "false");
    link.setAttribute("aria-busy", busy ? "true" : "false");
    var spinner = link.querySelector(".spinner-border");
    if (busy && !spinner) {
      spinner = document.createElement("span");
      spinner.className = "spinner-border spinner-border-sm me-2";
      spinner.setAttribute("aria-hidden", "true");
      link.insertBefore(spinner, link.firstChild);
    } else if (!busy && spinner) {
      spinner.remove();
    }
  }

  function start(link) {
    if (link.getAttribute("aria-busy") === "true") return;
    var box = statusBox(link);
    box.classList.remove("text-danger");
    box.textContent = link.getAttribute("data-busy-text") || "…";
    setBusy(link, true);
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "application/pdf" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/pdf") !== 0) throw new Error(String(response.status));
        var name = filenameOf(response, "bao-cao.pdf");
        return response.blob().then(function (blob) {
          var url = URL.createObjectURL(blob);
          var save = document.createElement("a");
          save.href = url;
          save.download = name;
          save.hidden = true;
          document.body.appendChild(save);
          save.click();
          save.remove();
          setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
          box.textContent = link.getAttribute("data-busy-done") || "";
        });
      })
      .catch(function () {
        box.classList.add("text-danger");
        box.textContent = link.getAttribute("data-busy-error") || "!";
      })
      .then(function () {
        setBusy(link, false);
      });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-busy-download]");
    if (!link || !window.fetch || !window.Blob || !window.URL) return;
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    start(link);
  });
})();
