// reportgen serve: a workbook or dossier dropped on its zone, and a generation's progress (server-sent events).
"use strict";

function wireDropZones(root) {
  root.querySelectorAll("[data-drop]").forEach(function (zone) {
    const input = zone.querySelector("input[type=file]");
    const chosen = zone.querySelector(".chosen");
    const form = input.form;
    if (zone.dataset.wired) return;
    zone.dataset.wired = "1";
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) { event.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
    input.addEventListener("change", function () {
      chosen.textContent = input.files.length ? input.files[0].name : "";
    });
    if (form.id === "upload") {  // a workbook is checked as soon as it is chosen
      input.addEventListener("change", function () { if (input.files.length) form.requestSubmit(); });
    }
  });
}

function local(n) {  // Arabic-Indic digits on an Arabic page, as the documents print them
  return document.documentElement.lang === "ar" ? String(n).replace(/[0-9]/g, d => "٠١٢٣٤٥٦٧٨٩"[d]) : String(n);
}

function followJob(section) {
  if (section.dataset.following) return;
  section.dataset.following = "1";
  const bar = section.querySelector("progress");
  const stage = section.querySelector(".stage");
  const source = new EventSource(section.dataset.events);
  let latest = "";  // the stage, or the cluster whose dossier is done
  let counted = "";
  function show() {
    stage.textContent = [counted, latest].filter(Boolean).join(" — ");  // not "·", read as an Arabic zero
  }
  source.onmessage = function (message) {
    const event = JSON.parse(message.data);
    if (event.type === "stage") {
      latest = event.text;
      show();
    } else if (event.type === "cluster") {
      latest = section.dataset.clusterLabel + " " + event.text;
      show();
    } else if (event.type === "progress") {
      bar.max = Math.max(event.total, 1);
      bar.value = event.done;
      counted = section.dataset.progressLabel.replace("{done}", local(event.done)).replace("{total}", local(event.total));
      show();
    } else if (event.type === "done") {
      source.close();
      bar.max = 1;
      bar.value = 1;
      stage.hidden = true;
      section.querySelector("h2").textContent = section.dataset.doneTitle;
      const ready = section.querySelector(".ready");
      ready.querySelector(".name").textContent = event.name;
      ready.hidden = false;
      ready.querySelector("a").focus();
    } else if (event.type === "error") {
      source.close();
      bar.hidden = true;
      stage.hidden = true;
      const failed = section.querySelector(".failed");
      failed.querySelector(".message").textContent = event.text;
      failed.hidden = false;
    }
  };
}

function wire(root) {
  wireDropZones(root);
  root.querySelectorAll("[data-events]").forEach(followJob);
  if (root.matches && root.matches("[data-events]")) followJob(root);
}

document.addEventListener("DOMContentLoaded", function () {
  wire(document);
  document.body.addEventListener("htmx:load", function (event) { wire(event.target); });
});
