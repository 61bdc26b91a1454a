// CivicDesk – Tổ lưu động: the dossier form — the procedure picked from the trip pack, the counter's checklist
// (no receipt while a required component is unticked), the applicant, the photos compressed on the phone; saved in
// IndexedDB with the device's next provisional number before the receipt is shown (mobile/store.js).
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var CCCD = /^\d{12}$/;
  var app = null; // CDM.app, set by mobile/app.js when it starts
  var formPhotos = [], busyPhotos = 0, saving = false, lastHamlet = "";
  var $ = function (id) { return document.getElementById(id); };

  function uuid() {
    if (crypto.randomUUID) { return crypto.randomUUID(); }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  // "Kết hôn" is found by "ket hon": officials type without diacritics on a phone keyboard.
  function fold(value) {
    return value.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function fillProcedures() {
    var filter = fold($("procedure-filter").value.trim());
    var select = $("procedure");
    var chosen = select.value;
    var shown = [];
    select.replaceChildren(app.el("option", { value: "", text: app.text.chooseProcedure }));
    var groups = {};
    app.pack.procedures.forEach(function (p) {
      var haystack = fold(p.code + " " + p.name + " " + p.field);
      if (filter && haystack.indexOf(filter) === -1 && p.code !== chosen) { return; }
      shown.push(p.code);
      if (!groups[p.field]) {
        groups[p.field] = app.el("optgroup", { label: p.field });
        select.appendChild(groups[p.field]);
      }
      groups[p.field].appendChild(app.el("option", { value: p.code, text: p.name }));
    });
    select.value = chosen || (filter && shown.length === 1 ? shown[0] : "");
  }

  function procedure() {
    var code = $("procedure").value;
    return app.pack.procedures.find(function (p) { return p.code === code; }) || null;
  }

  function renderChecklist() {
    var chosen = procedure();
    var holder = $("checklist-items");
    holder.replaceChildren();
    $("checklist").hidden = !chosen;
    if (!chosen) { return; }
    chosen.items.forEach(function (item) {
      var id = "item-" + item.index;
      var box = app.el("input", { type: "checkbox", id: id, name: "present", value: String(item.index) });
      var label = app.el("label", { for: id }, [box, app.el("span", { text: item.name })]);
      if (item.required) {
        label.appendChild(app.el("span", { className: "badge badge-warn", text: app.text.required }));
      }
      holder.appendChild(app.el("div", { className: "tld-item" + (item.required ? " is-required" : "") }, [label]));
    });
  }

  function openForm() {
    $("dossier-form").reset();
    formPhotos = [];
    renderPhotos();
    $("form-errors").hidden = true;
    $("procedure-filter").value = "";
    fillProcedures();
    renderChecklist();
    var hamlet = $("hamlet");
    hamlet.replaceChildren(app.el("option", { value: "", text: app.text.noHamlet }));
    app.pack.hamlets.forEach(function (h) { hamlet.appendChild(app.el("option", { value: String(h.id), text: h.name })); });
    hamlet.value = lastHamlet; // the team works one hamlet at a time: keep the one of the previous dossier
    var trip = $("trip");
    trip.replaceChildren(app.el("option", { value: "", text: app.text.noTrip }));
    var today = app.day(Date.now()).split("/").reverse().join("-");
    app.pack.trips.forEach(function (t) {
      trip.appendChild(app.el("option", { value: String(t.id), text: t.title + " (" + t.day.split("-").reverse().join("/") + ")" }));
      if (t.day === today) { trip.value = String(t.id); }
    });
    $("trip-field").hidden = app.pack.trips.length === 0;
    app.show("form");
    $("procedure-filter").focus();
  }

  function renderPhotos() {
    var list = $("photo-list");
    list.replaceChildren();
    formPhotos.forEach(function (photo, index) {
      var remove = app.el("button", { type: "button", className: "btn btn-secondary btn-small", text: app.text.removePhoto });
      remove.addEventListener("click", function () { formPhotos.splice(index, 1); renderPhotos(); });
      list.appendChild(app.el("li", {}, [
        app.el("img", { src: photo.thumb, alt: photo.name, width: "80", height: "80" }),
        app.el("span", { className: "small", text: app.format(app.text.photoInfo, { kb: Math.round(photo.size / 1024) }) }),
        remove,
      ]));
    });
  }

  async function addPhotos() {
    var input = $("photos");
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    var status = $("photo-status");
    var problems = [];
    busyPhotos += 1;
    status.textContent = app.text.compressing;
    for (var i = 0; i < files.length; i++) {
      if (formPhotos.length >= app.config.maxPhotos) {
        problems.push(app.format(app.text.tooManyPhotos, { n: app.config.maxPhotos }));
        break;
      }
      try {
        var made = await CDM.photos.compress(files[i], app.config.maxBytes);
        made.name = files[i].name;
        formPhotos.push(made);
      } catch (error) {
        problems.push(app.format(error.code === "too_big" ? app.text.photoTooBig : app.text.photoUnreadable, {
          name: files[i].name, mb: Math.round(app.config.maxBytes / (1024 * 1024)),
        }));
      }
    }
    busyPhotos -= 1;
    status.textContent = problems.join(" ");
    status.className = problems.length ? "small tld-error" : "small";
    renderPhotos();
  }

  function validate(chosen, present) {
    var errors = [];
    if (!chosen) {
      errors.push(app.text.needProcedure);
    } else {
      var missing = chosen.items.filter(function (item) { return item.required && present.indexOf(item.index) === -1; });
      if (missing.length) {
        errors.push(app.format(app.text.missingRequired, { items: missing.map(function (m) { return m.name; }).join("; ") }));
      }
    }
    if (!$("applicant-name").value.trim()) { errors.push(app.text.needName); }
    var id = $("applicant-id").value.replace(/\s/g, "");
    var province = parseInt(id.slice(0, 3), 10);
    if (!CCCD.test(id) || province < 1 || province > 96 || /^(\d)\1+$/.test(id)) { errors.push(app.text.badCccd); }
    if (!phoneDigits($("applicant-phone").value)) { errors.push(app.text.badPhone); }
    return errors;
  }

  function phoneDigits(value) {
    var digits = value.replace(/[\s.\-()]/g, "");
    if (digits.indexOf("+84") === 0) { digits = "0" + digits.slice(3); }
    else if (digits.indexOf("84") === 0 && digits.length === 11) { digits = "0" + digits.slice(2); }
    return /^0\d{9}$/.test(digits) ? digits : "";
  }

  async function saveDossier(event) {
    event.preventDefault();
    if (busyPhotos || saving) { return; } // a double tap must not take the dossier twice
    saving = true;
    try {
      await save();
    } finally {
      saving = false;
    }
  }

  async function save() {
    var chosen = procedure();
    var present = Array.prototype.map.call(
      document.querySelectorAll("#checklist-items input:checked"), function (box) { return parseInt(box.value, 10); }
    );
    var errors = validate(chosen, present);
    var box = $("form-errors");
    if (errors.length) {
      box.replaceChildren(app.el("strong", { text: app.text.errorsTitle }), app.el("ul", {}, errors.map(function (e) { return app.el("li", { text: e }); })));
      box.hidden = false;
      box.focus();
      box.scrollIntoView({ block: "start" });
      return;
    }
    box.hidden = true;
    var hamletId = $("hamlet").value ? parseInt($("hamlet").value, 10) : null;
    var tripId = $("trip").value ? parseInt($("trip").value, 10) : null;
    var hamlet = app.pack.hamlets.find(function (h) { return h.id === hamletId; });
    var dossierUuid = uuid();
    var now = Date.now();
    var photos = formPhotos.map(function (photo) {
      return { uuid: uuid(), dossier: dossierUuid, blob: photo.blob, type: photo.type, size: photo.size, sha256: photo.sha256, thumb: photo.thumb, state: "pending" };
    });
    var saved;
    try {
      saved = await CDM.store.saveDossier(function (code) {
        var payload = {
          device: app.device.prefix,
          provisional_code: code,
          taken_at: new Date(now).toISOString(),
          procedure_code: chosen.code,
          present: present.sort(function (a, b) { return a - b; }),
          applicant_name: $("applicant-name").value.trim().replace(/\s+/g, " "),
          applicant_id_number: $("applicant-id").value.replace(/\s/g, ""),
          applicant_phone: phoneDigits($("applicant-phone").value),
          note: $("note").value.trim(),
        };
        if (hamletId) { payload.hamlet = hamletId; }
        if (tripId) { payload.trip = tripId; }
        return {
          dossier: {
            uuid: dossierUuid, code: code, payload: payload, createdAt: now, state: "pending", attempts: 0,
            procedureName: chosen.name, hamletName: hamlet ? hamlet.name : "",
            itemNames: chosen.items.filter(function (i) { return present.indexOf(i.index) !== -1; }).map(function (i) { return i.name; }),
            photoCount: photos.length, result: null, lastError: "",
          },
          photos: photos,
        };
      });
    } catch (error) {
      box.replaceChildren(app.el("strong", { text: app.format(app.text.storageError, { error: error.message || error.name }) }));
      box.hidden = false;
      return;
    }
    lastHamlet = $("hamlet").value;
    app.saved(saved);
  }

  CDM.form = {
    // Wires the form's controls; `shell` is CDM.app (settings, texts, the pack and device, and its helpers).
    bind: function (shell) {
      app = shell;
      $("procedure-filter").addEventListener("input", function () { fillProcedures(); renderChecklist(); });
      $("procedure").addEventListener("change", renderChecklist);
      $("photos").addEventListener("change", addPhotos);
      $("dossier-form").addEventListener("submit", saveDossier);
    },
    open: openForm,
  };
})();
