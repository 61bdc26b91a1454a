// CivicDesk – Tổ lưu động: the dossier form — the procedure picked from the trip pack, the counter's checklist
// (no receipt while a required component is unticked), the applicant, the photos compressed on the phone; saved in
// IndexedDB with the device's next provisional number before the receipt is shown (mobile/store.js).
//
// The same form corrects a dossier already taken (`CDM.form.edit`), prefilled, with the same checks; the receipt
// keeps its provisional code. Not yet on the server: the stored dossier is simply corrected and sent as if new. On
// the server and still waiting for the commune officer: the correction is kept on the phone and goes out as an edit
// with the version the phone last saw (mobile/sync.js). Already in the register: not editable here (app.js).
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var CCCD = /^\d{12}$/;
  var app = null; // CDM.app, set by mobile/app.js when it starts
  var formPhotos = [], busyPhotos = 0, saving = false, lastHamlet = "";
  var editing = null; // the stored dossier being corrected; null for a new one
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

  // The empty form with the pack's hamlets and trips; `record` is the dossier being corrected, or null.
  function prepare(record) {
    editing = record;
    $("dossier-form").reset();
    formPhotos = [];
    $("form-errors").hidden = true;
    $("photo-status").textContent = "";
    $("procedure-filter").value = "";
    var hamlet = $("hamlet");
    hamlet.replaceChildren(app.el("option", { value: "", text: app.text.noHamlet }));
    app.pack.hamlets.forEach(function (h) { hamlet.appendChild(app.el("option", { value: String(h.id), text: h.name })); });
    var trip = $("trip");
    trip.replaceChildren(app.el("option", { value: "", text: app.text.noTrip }));
    app.pack.trips.forEach(function (t) {
      trip.appendChild(app.el("option", { value: String(t.id), text: t.title + " (" + t.day.split("-").reverse().join("/") + ")" }));
    });
    $("form-title").textContent = record ? app.format(app.text.editTitle, { code: record.code }) : app.text.newTitle;
    $("save-dossier").textContent = record ? app.text.saveEdit : app.text.saveNew;
    var notice = $("edit-notice");
    notice.hidden = !record;
    if (record) {
      notice.textContent = app.format(record.result ? app.text.editAfterSend : app.text.editBeforeSend, { code: record.code });
    }
  }

  function openForm() {
    prepare(null);
    fillProcedures();
    renderChecklist();
    renderPhotos();
    $("hamlet").value = lastHamlet; // the team works one hamlet at a time: keep the one of the previous dossier
    var today = app.day(Date.now()).split("/").reverse().join("-");
    app.pack.trips.forEach(function (t) { if (t.day === today) { $("trip").value = String(t.id); } });
    $("trip-field").hidden = app.pack.trips.length === 0;
    app.show("form");
    $("procedure-filter").focus();
  }

  // The form prefilled with a stored dossier and its photos (those already on the server cannot be taken back).
  async function openEdit(record) {
    var stored = await CDM.store.photosOf(record.uuid);
    var data = record.payload;
    prepare(record);
    fillProcedures();
    $("procedure").value = data.procedure_code;
    if ($("procedure").value !== data.procedure_code) {
      // The pack downloaded since no longer offers it: keep it, named as on the receipt.
      $("procedure").appendChild(app.el("option", { value: data.procedure_code, text: record.procedureName }));
      $("procedure").value = data.procedure_code;
    }
    renderChecklist();
    (data.present || []).forEach(function (index) {
      var box = $("item-" + index);
      if (box) { box.checked = true; }
    });
    $("applicant-name").value = data.applicant_name || "";
    $("applicant-id").value = data.applicant_id_number || "";
    $("applicant-phone").value = data.applicant_phone || "";
    $("note").value = data.note || "";
    keep($("hamlet"), data.hamlet, record.hamletName);
    keep($("trip"), data.trip, app.text.keptTrip);
    $("trip-field").hidden = app.pack.trips.length === 0 && !data.trip;
    formPhotos = stored.map(function (photo, index) {
      return { uuid: photo.uuid, stored: true, sent: photo.state === "sent", thumb: photo.thumb, size: photo.size, name: String(index + 1) };
    });
    renderPhotos();
    // Opened at the top, with no field focused: the title and what happens to a correction are read first (and
    // the phone's keyboard does not cover them).
    app.show("form");
  }

  // Selects `value` in `select`, adding it when the pack no longer lists it (a past trip): an edit never drops it.
  function keep(select, value, label) {
    if (value === undefined || value === null || value === "") { select.value = ""; return; }
    select.value = String(value);
    if (select.value !== String(value)) {
      select.appendChild(app.el("option", { value: String(value), text: label || String(value) }));
      select.value = String(value);
    }
  }

  function renderPhotos() {
    var list = $("photo-list");
    list.replaceChildren();
    formPhotos.forEach(function (photo, index) {
      var info = app.format(app.text.photoInfo, { kb: Math.round(photo.size / 1024) });
      var remove = null;
      if (photo.sent) {
        info += " · " + app.text.photoOnServer; // the server keeps it: the officer decides what to do with it
      } else {
        remove = app.el("button", { type: "button", className: "btn btn-secondary btn-small", text: app.text.removePhoto });
        remove.addEventListener("click", function () { formPhotos.splice(index, 1); renderPhotos(); });
      }
      list.appendChild(app.el("li", {}, [
        app.el("img", { src: photo.thumb, alt: photo.name, width: "80", height: "80" }),
        app.el("span", { className: "small", text: info }),
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

  // What the form says, as the server takes it (the same for a new dossier and a correction).
  function content(chosen, present) {
    var data = {
      procedure_code: chosen.code,
      present: present.slice().sort(function (a, b) { return a - b; }),
      applicant_name: $("applicant-name").value.trim().replace(/\s+/g, " "),
      applicant_id_number: $("applicant-id").value.replace(/\s/g, ""),
      applicant_phone: phoneDigits($("applicant-phone").value),
      note: $("note").value.trim(),
    };
    if ($("hamlet").value) { data.hamlet = parseInt($("hamlet").value, 10); }
    if ($("trip").value) { data.trip = parseInt($("trip").value, 10); }
    return data;
  }

  function described(chosen, present) {
    var hamletId = $("hamlet").value ? parseInt($("hamlet").value, 10) : null;
    var hamlet = app.pack.hamlets.find(function (h) { return h.id === hamletId; });
    var kept = editing && editing.payload.hamlet === hamletId ? editing.hamletName : "";
    return {
      procedureName: chosen.name,
      hamletName: hamlet ? hamlet.name : kept,
      itemNames: chosen.items.filter(function (i) { return present.indexOf(i.index) !== -1; }).map(function (i) { return i.name; }),
    };
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
    if (editing) {
      return saveEdit(chosen, present, box);
    }
    var dossierUuid = uuid();
    var now = Date.now();
    var photos = formPhotos.map(function (photo) {
      return { uuid: uuid(), dossier: dossierUuid, blob: photo.blob, type: photo.type, size: photo.size, sha256: photo.sha256, thumb: photo.thumb, state: "pending" };
    });
    var saved;
    try {
      saved = await CDM.store.saveDossier(function (code) {
        var payload = Object.assign(
          { device: app.device.prefix, provisional_code: code, taken_at: new Date(now).toISOString() }, content(chosen, present)
        );
        return {
          dossier: Object.assign({
            uuid: dossierUuid, code: code, payload: payload, createdAt: now, state: "pending", attempts: 0,
            photoCount: photos.length, result: null, lastError: "",
          }, described(chosen, present)),
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

  // A correction: stored first (same UUID, same provisional code, same time taken), then sent by the outbox.
  async function saveEdit(chosen, present, box) {
    var now = Date.now();
    var corrected = content(chosen, present);
    var keptPhotos = formPhotos.filter(function (p) { return p.stored; }).map(function (p) { return p.uuid; });
    var added = formPhotos.filter(function (p) { return !p.stored; }).map(function (photo) {
      return { uuid: uuid(), dossier: editing.uuid, blob: photo.blob, type: photo.type, size: photo.size, sha256: photo.sha256, thumb: photo.thumb, state: "pending" };
    });
    var refusal = "", changed = false;
    var saved;
    try {
      saved = await CDM.store.saveEdit(editing.uuid, function (dossier, stored) {
        var removed = stored.filter(function (p) { return keptPhotos.indexOf(p.uuid) === -1 && p.state !== "sent"; });
        var payload = {};
        // What the form does not show (device, code, time taken, anything a later version adds) is kept as it was.
        Object.keys(dossier.payload).forEach(function (key) {
          if (key !== "hamlet" && key !== "trip") { payload[key] = dossier.payload[key]; }
        });
        Object.assign(payload, corrected);
        changed = JSON.stringify(payload) !== JSON.stringify(dossier.payload) || removed.length > 0 || added.length > 0;
        refusal = CDM.app.editRefusal(dossier);
        if (refusal || !changed) { return { changed: false, add: [], remove: [] }; }
        Object.assign(dossier, described(chosen, present));
        dossier.payload = payload;
        dossier.photoCount = stored.length - removed.length + added.length;
        dossier.editedAt = now;
        if (dossier.result) {
          // The server has it: the correction goes out as an edit of the version the phone last saw.
          dossier.edit = { state: "pending", baseVersion: dossier.result.version, savedAt: now, error: "" };
        }
        dossier.state = "pending";
        dossier.lastError = "";
        dossier.nextAttemptAt = null;
        return { changed: true, add: added, remove: removed.map(function (p) { return p.uuid; }) };
      });
    } catch (error) {
      box.replaceChildren(app.el("strong", { text: app.format(app.text.storageError, { error: error.message || error.name }) }));
      box.hidden = false;
      return;
    }
    if (refusal) {
      box.replaceChildren(app.el("strong", { text: refusal }));
      box.hidden = false;
      box.focus();
      return;
    }
    editing = null;
    app.edited(saved, changed);
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
    edit: openEdit,
  };
})();
