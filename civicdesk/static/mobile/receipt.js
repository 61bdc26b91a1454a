// CivicDesk – Tổ lưu động: the provisional receipt the citizen keeps — its code, what was handed in, and a QR code
// of the lookup page with the code filled in (built here, offline, with the vendored qrcode-generator; drawn as an
// SVG through the DOM, no markup strings).
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var SVG = "http://www.w3.org/2000/svg";

  function qrSvg(data, label) {
    var qr = window.qrcode(0, "M");
    qr.addData(data);
    qr.make();
    var count = qr.getModuleCount();
    var quiet = 4;
    var size = count + quiet * 2;
    var path = [];
    for (var row = 0; row < count; row++) {
      for (var col = 0; col < count; col++) {
        if (qr.isDark(row, col)) {
          path.push("M" + (col + quiet) + " " + (row + quiet) + "h1v1h-1z");
        }
      }
    }
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 " + size + " " + size);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
    svg.setAttribute("shape-rendering", "crispEdges");
    var background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", size);
    background.setAttribute("height", size);
    background.setAttribute("fill", "#fff");
    var modules = document.createElementNS(SVG, "path");
    modules.setAttribute("d", path.join(""));
    modules.setAttribute("fill", "#000");
    svg.appendChild(background);
    svg.appendChild(modules);
    return svg;
  }

  function pad(n) {
    return String(n).padStart(2, "0");
  }

  var formatter = null;

  // "dd/mm/yyyy hh:mm" in the commune's time zone (CDM.timeZone, from the server's settings), whatever the phone's.
  function when(ms) {
    try {
      formatter = formatter || new Intl.DateTimeFormat("en-GB", {
        timeZone: CDM.timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
        hourCycle: "h23",
      });
      var parts = {};
      formatter.formatToParts(new Date(ms)).forEach(function (part) { parts[part.type] = part.value; });
      return parts.day + "/" + parts.month + "/" + parts.year + " " + parts.hour + ":" + parts.minute;
    } catch (error) {
      var d = new Date(ms);
      return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear() + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
    }
  }

  function fill(id, value) {
    document.getElementById(id).textContent = value || "—";
  }

  // Shows the receipt of `dossier` (a record of the outbox) in #view-receipt.
  function show(dossier, config) {
    var text = config.text;
    var url = config.lookup + encodeURIComponent(dossier.code);
    fill("receipt-code", dossier.code);
    fill("receipt-procedure", dossier.procedureName + " (" + dossier.payload.procedure_code + ")");
    fill("receipt-applicant", dossier.payload.applicant_name);
    fill("receipt-time", when(dossier.createdAt));
    fill("receipt-place", dossier.hamletName);
    var items = document.getElementById("receipt-items");
    items.replaceChildren();
    (dossier.itemNames || []).forEach(function (name) {
      var li = document.createElement("li");
      li.textContent = name;
      items.appendChild(li);
    });
    var holder = document.getElementById("receipt-qr");
    holder.replaceChildren(qrSvg(url, text.receiptFor + " " + dossier.code));
    var origin = url.replace(/^https?:\/\//, "").split("?")[0];
    fill("receipt-lookup", CDM.sync.format(text.lookupHint, { url: origin }));
    var status = "";
    if (dossier.result && dossier.result.dossierCode) {
      status = CDM.sync.format(text.officialCode, { code: dossier.result.dossierCode });
    } else if (dossier.result) {
      status = dossier.result.message;
    }
    document.getElementById("receipt-status").textContent = status;
  }

  CDM.receipt = { show: show, when: when, qrSvg: qrSvg };
})();
