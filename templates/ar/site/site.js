// The verification site's only script: search (Arabic folded as reportgen folds it), "check this PDF" (SHA-256
// computed here with WebCrypto, nothing sent anywhere), the scanned fingerprint, and expiry since the build.
"use strict";
(function () {
  var main = document.getElementById("main");
  var arabic = document.documentElement.lang === "ar";

  // model/arabic.py's fold(), letter for letter: presentation forms, invisible marks, case, tatweel, harakat,
  // alef/teh marbuta/alef maqsura/hamza seats, spacing; digits as in ascii_digits().
  var INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff\u00ad]/g;
  var PRESENTATION = /[\ufb50-\ufdff\ufe70-\ufeff]/g;
  var DIACRITICS = /[\u064b-\u065f\u0670\u06d6-\u06ed]/g;
  var LETTERS = { "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي" };
  var DIGITS = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹";
  function fold(text) {
    text = String(text).replace(PRESENTATION, function (c) { return c.normalize("NFKC"); });
    text = text.replace(INVISIBLE, "").replace(/\u00a0/g, " ");
    text = text.replace(/[٠-٩۰-۹]/g, function (d) { return String(DIGITS.indexOf(d) % 10); });
    text = text.toLowerCase().replace(/\u0640/g, "").replace(DIACRITICS, "");
    text = text.replace(/[أإآٱةىؤئ]/g, function (c) { return LETTERS[c]; });
    return text.replace(/[\s_\-]+/g, " ").trim();
  }
  window.reportgenFold = fold; // for the tests, which compare it with the Python fold

  function number(n) {
    var text = String(n);
    return main.getAttribute("data-digits") === "arabic" ? text.replace(/[0-9]/g, function (d) { return DIGITS[d]; }) : text;
  }

  function say(element, text, result) {
    element.textContent = text;
    element.setAttribute("data-result", result);
  }

  // ------------------------------------------------------------------ search (index page)
  var input = document.getElementById("q");
  if (input) {
    var items = Array.prototype.slice.call(document.querySelectorAll("#results li"));
    var count = document.getElementById("count");
    var search = function () {
      var words = fold(input.value).split(" ").filter(Boolean);
      var shown = 0;
      items.forEach(function (li) {
        var key = li.getAttribute("data-key");
        var match = words.every(function (w) { return key.indexOf(w) !== -1; });
        li.hidden = !match;
        shown += match ? 1 : 0;
      });
      count.textContent = shown ? count.getAttribute("data-some") + number(shown) : count.getAttribute("data-none");
    };
    input.addEventListener("input", search);
    var query = new URLSearchParams(location.search).get("q");
    if (query) { input.value = query; }
    search();
  }

  // ------------------------------------------------------------------ the scanned code's fingerprint
  var scan = document.getElementById("scan");
  if (scan && location.hash.length > 1) {
    var given = location.hash.slice(1).replace(/[^0-9a-fA-F]/g, "").toLowerCase();
    var ok = given.length >= 16 && main.getAttribute("data-fp").indexOf(given) === 0;
    scan.textContent = scan.getAttribute(ok ? "data-match" : "data-mismatch");
    scan.className = ok ? "scan match" : "scan mismatch";
    scan.setAttribute("data-result", ok ? "match" : "mismatch");
    scan.hidden = false;
  }

  // ------------------------------------------------------------------ expiry since the pages were built
  var until = main.getAttribute("data-until");
  if (until && main.getAttribute("data-state") === "valid" && new Date().toISOString().slice(0, 10) > until) {
    var banner = document.getElementById("status");
    banner.className = "banner state-expired";
    banner.setAttribute("data-state", "expired");
    banner.querySelector(".expired-now").hidden = false;
  }

  // ------------------------------------------------------------------ check this PDF
  var picker = document.getElementById("pdf");
  var drop = document.getElementById("drop");
  var out = document.getElementById("check-result");
  if (!picker || !out) { return; }
  var T = arabic ? {
    intact: "هذا الملف هو ملف الشهادة كما صدر تمامًا، لم يتغير فيه شيء.",
    intactOther: "هذا الملف هو ملف الشهادة {n} كما صدر تمامًا: ",
    altered: "هذا الملف ليس ملف هذه الشهادة كما صدر: تغيّر بعد إصداره أو هو ملف آخر. لا تعتمد عليه.",
    unknown: "هذا الملف لا يطابق أي شهادة أصدرتها الجهة كما صدرت: تغيّر بعد إصداره أو لم تصدره. لا تعتمد عليه.",
    notPdf: "هذا ليس ملف PDF.",
    noCrypto: "لا يستطيع هذا المتصفح حساب البصمة هنا؛ افتح الموقع عبر https.",
    working: "جارٍ حساب البصمة…"
  } : {
    intact: "This file is the certificate's file exactly as issued: nothing in it has changed.",
    intactOther: "This file is certificate {n}'s file exactly as issued: ",
    altered: "This file is not this certificate's file as issued: it was changed after issue, or it is another file. Do not rely on it.",
    unknown: "This file matches no certificate as the body issued it: it was changed after issue, or the body did not issue it. Do not rely on it.",
    notPdf: "This is not a PDF file.",
    noCrypto: "This browser cannot compute the fingerprint here; open the site over https.",
    working: "Computing the fingerprint…"
  };
  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function check(file) {
    if (!window.crypto || !window.crypto.subtle) { say(out, T.noCrypto, "error"); return; }
    say(out, T.working, "working");
    file.arrayBuffer().then(function (data) {
      var head = new Uint8Array(data.slice(0, 1024));
      if (String.fromCharCode.apply(null, head).indexOf("%PDF-") === -1) { say(out, T.notPdf, "error"); return null; }
      return crypto.subtle.digest("SHA-256", data).then(function (digest) {
        var sha = hex(digest);
        var own = main.getAttribute("data-sha");
        if (own) {
          say(out, sha === own ? T.intact : T.altered, sha === own ? "intact" : "altered");
          return;
        }
        var found = (window.REPORTGEN_INDEX || []).filter(function (e) { return e.f === sha; })[0];
        if (!found) { say(out, T.unknown, "unknown"); return; }
        say(out, T.intactOther.replace("{n}", found.n) + (arabic ? "الشهادة " + found.sa : found.se), "intact");
      });
    }).catch(function () { say(out, T.notPdf, "error"); });
  }
  picker.addEventListener("change", function () { if (picker.files.length) { check(picker.files[0]); } });
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) { check(e.dataTransfer.files[0]); }
  });
})();
