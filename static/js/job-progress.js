// Polls a document job's status (jobs.views.job_status) and moves its progress bar; once the job has
// finished, reloads the page, which then shows the download link or the error. Without JavaScript the
// page refreshes itself (a <noscript> meta refresh) and has a reload button.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.finished === "1") {
    return;
  }
  var url = box.dataset.statusUrl;
  var format = new Intl.NumberFormat(document.documentElement.lang || "vi");

  function show(data) {
    document.getElementById("job-status").textContent = data.status_label;
    document.getElementById("job-done").textContent = format.format(data.done);
    document.getElementById("job-total").textContent = format.format(data.total);
    document.getElementById("job-percent").textContent = data.percent;
    var bar = document.getElementById("job-progress");
    bar.value = data.percent;
    bar.textContent = data.percent + " %";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 1500);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, 1000);
})();
