// CivicDesk – Tổ lưu động: the app's screens — register the phone, download the trip pack, open the dossier form
// (mobile/form.js), show the provisional receipt (mobile/receipt.js), and watch the outbox (mobile/sync.js). Works
// offline once the service worker has cached it (mobile/sw.js); everything taken is in IndexedDB (mobile/store.js)
// before the receipt is shown. A dossier can be corrected from the outbox or its receipt (the same form) until the
// commune officer has put it in the register.
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var DAY = 24 * 60 * 60 * 1000;
  var PACK_OLD_DAYS = 7;

  var config, text, device = null, pack = null, persisted = null, clockSkew = 0;
  var $ = function (id) { return document.getElementById(id); };
  var format = function (template, values) { return CDM.sync.format(template, values); };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; }
      else if (key === "className") { node.className = attrs[key]; }
      else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) { if (child) { node.appendChild(child); } });
    return node;
  }

  function day(ms) {
    return CDM.receipt.when(ms).split(" ")[0];
  }

  function show(view) {
    ["home", "form", "receipt"].forEach(function (name) { $("view-" + name).hidden = name !== view; });
    window.scrollTo(0, 0);
  }

  // -- Banners: offline, stale data, storage, clock, session ------------------------------------------------------

  async function banners() {
    var notes = [];
    if (!window.isSecureContext) { notes.push(["error", text.insecure]); }
    if (device && device.commune !== config.commune) {
      notes.push(["error", format(text.otherCommune, { prefix: device.prefix })]);
    }
    var dossiers = await CDM.store.dossiers();
    var waiting = dossiers.filter(function (d) { return d.state !== "sent"; });
    var oldest = waiting.reduce(function (min, d) { return Math.min(min, d.edit ? d.edit.savedAt : d.createdAt); }, Infinity);
    var lastSync = await CDM.store.getMeta("lastSync");
    if (waiting.length && Date.now() - oldest > config.staleDays * DAY) {
      notes.push(["warning", format(text.stale, { count: waiting.length, days: Math.floor((Date.now() - oldest) / DAY) })]);
      if (lastSync) { notes.push(["warning", format(text.staleSync, { date: day(lastSync) })]); }
    }
    if (Math.abs(clockSkew) > 5 * 60 * 1000) {
      notes.push(["warning", format(text.clockSkew, { minutes: Math.round(Math.abs(clockSkew) / 60000) })]);
    }
    if (persisted === false) { notes.push(["info", text.noPersist]); }
    CDM.store.othersWaiting().forEach(function (other) {
      notes.push(["info", format(text.otherUser, { count: other.waiting, name: other.name })]);
    });
    var shown = notes.map(function (note) {
      return el("p", { className: "msg" + (note[0] === "info" ? " small" : " msg-" + note[0]), text: note[1] });
    });
    if (CDM.sync.state.needLogin) {
      var login = el("p", { className: "msg msg-error", text: text.needLogin + " " });
      login.appendChild(el("a", { href: config.login, text: text.login }));
      shown.unshift(login);
    }
    // Swapped in at once: renders racing each other never show a note twice.
    $("banners").replaceChildren.apply($("banners"), shown);
  }

  function network() {
    var online = navigator.onLine;
    var badge = $("net");
    badge.textContent = online ? text.online : text.offline;
    badge.className = "tld-net " + (online ? "is-online" : "is-offline");
  }

  // -- Device and trip pack ----------------------------------------------------------------------------------------

  function renderDevice() {
    $("device-card").hidden = !!device;
    var info = $("device-info");
    info.hidden = !device;
    if (device) {
      info.textContent = format(text.deviceInfo, { label: device.label, next: CDM.store.code(device.prefix, device.next || 1) });
    }
    var usable = device && pack && device.commune === config.commune;
    $("new-dossier").disabled = !usable;
    $("new-hint").hidden = !!usable;
  }

  async function registerDevice(event) {
    event.preventDefault();
    var label = $("device-label").value.trim();
    var problem = $("device-error");
    problem.hidden = true;
    if (!label) {
      problem.textContent = text.deviceNameMissing;
      problem.hidden = false;
      return;
    }
    if (!navigator.onLine) {
      problem.textContent = text.needOnline;
      problem.hidden = false;
      return;
    }
    var answer = await CDM.sync.request(
      "POST", config.api.devices, JSON.stringify({ label: label }), { "Content-Type": "application/json" }
    );
    if (answer.status !== 201) {
      problem.textContent = answer.status === 401 ? text.needLogin : CDM.sync.errorText(answer);
      problem.hidden = false;
      return;
    }
    device = { prefix: answer.body.prefix, label: answer.body.label, commune: config.commune, next: 1, registeredAt: Date.now() };
    await CDM.store.setMeta("device", device);
    askPersistence();
    renderDevice();
    flash(format(text.deviceRegistered, { example: answer.body.code_example }));
  }

  function renderPack() {
    var info = $("pack-info");
    if (!pack) {
      info.textContent = text.packNone;
    } else {
      var line = format(text.packInfo, {
        date: CDM.receipt.when(pack.downloadedAt), procedures: pack.procedures.length, hamlets: pack.hamlets.length,
      });
      var age = Math.floor((Date.now() - pack.downloadedAt) / DAY);
      info.textContent = age >= PACK_OLD_DAYS ? line + " " + format(text.packOld, { days: age }) : line;
    }
    renderDevice();
  }

  async function downloadPack() {
    var problem = $("pack-error");
    problem.hidden = true;
    if (!navigator.onLine) {
      problem.textContent = text.needOnline;
      problem.hidden = false;
      return;
    }
    var button = $("pack-download");
    button.disabled = true;
    var answer = await CDM.sync.request("GET", config.api.pack);
    button.disabled = false;
    if (answer.status !== 200) {
      problem.textContent = format(text.packFailed, {
        error: answer.status === 401 ? text.needLogin : CDM.sync.errorText(answer),
      });
      problem.hidden = false;
      return;
    }
    pack = Object.assign({}, answer.body, { downloadedAt: Date.now() });
    clockSkew = Date.now() - Date.parse(answer.body.server_time);
    await CDM.store.setMeta("pack", pack);
    renderPack();
    banners();
    flash(text.packLoaded);
  }

  function flash(message) {
    var note = el("p", { className: "msg", text: message });
    $("flash").replaceChildren(note);
    setTimeout(function () { note.remove(); }, 6000);
  }

  // -- The outbox --------------------------------------------------------------------------------------------------

  function stateLabel(dossier) {
    if (CDM.sync.state.current === dossier.uuid) { return [text.sending, "badge"]; }
    if (dossier.edit && dossier.edit.state === "pending") { return [text.editPending, "badge"]; }
    if (dossier.edit && dossier.edit.state === "conflict") { return [text.editConflictBadge, "badge badge-warn"]; }
    if (dossier.state === "sent") {
      var status = dossier.result && dossier.result.status;
      if (status === "review") { return [text.review, "badge badge-warn"]; }
      if (status === "linked") { return [text.linked, "badge badge-ok"]; }
      if (status === "dismissed") { return [text.dismissed, "badge badge-bad"]; }
      return [text.sent, "badge badge-ok"];
    }
    if (dossier.state === "failed") { return [text.failed, "badge badge-bad"]; }
    return [text.pending, "badge"];
  }

  async function renderOutbox() {
    var dossiers = await CDM.store.dossiers();
    var rows = [];
    var counts = { pending: 0, sent: 0, failed: 0 };
    for (var i = 0; i < dossiers.length; i++) {
      var d = dossiers[i];
      counts[d.state] += 1;
      var label = stateLabel(d);
      var lines = editLines(d);
      if (d.result && d.result.dossierCode) {
        lines.push(el("p", { className: "tld-official", text: format(text.officialCode, { code: d.result.dossierCode }) }));
      } else if (d.result && d.result.status !== "registered") {
        lines.push(el("p", { className: "small", text: d.result.message }));
      }
      if (d.state === "pending" && d.lastError) {
        var at = d.nextAttemptAt ? CDM.receipt.when(d.nextAttemptAt).split(" ")[1] : "—";
        lines.push(el("p", { className: "small tld-error", text: d.lastError === text.needLogin ? d.lastError : format(text.retryAt, { error: d.lastError, time: at }) }));
      } else if (d.state === "failed" && d.lastError) {
        lines.push(el("p", { className: "small tld-error", text: d.lastError }));
      }
      if (d.photoCount) {
        var photos = await CDM.store.photosOf(d.uuid);
        var sent = photos.filter(function (p) { return p.state === "sent"; }).length;
        lines.push(el("p", { className: "small muted", text: format(text.photosSent, { sent: sent, total: photos.length }) }));
      }
      var actions = el("div", { className: "tld-row-actions" });
      var view = el("button", { type: "button", className: "btn btn-secondary btn-small", "data-receipt": d.uuid, text: text.viewReceipt });
      actions.appendChild(view);
      var refusal = editRefusal(d);
      if (!refusal) {
        actions.appendChild(el("button", { type: "button", className: "btn btn-secondary btn-small", "data-edit": d.uuid, text: text.edit }));
      } else {
        lines.push(el("p", { className: "small muted tld-locked", text: refusal }));
      }
      if (d.state === "failed") {
        actions.appendChild(el("button", { type: "button", className: "btn btn-small", "data-retry": d.uuid, text: text.retry }));
      }
      rows.push(el("li", { "data-uuid": d.uuid, "data-state": d.state, "data-code": d.code, "data-edit-state": d.edit ? d.edit.state : "" }, [
        el("div", { className: "tld-row-head" }, [
          el("strong", { className: "tld-row-code", text: d.code }),
          el("span", { className: label[1] + " tld-state", text: label[0] }),
        ]),
        el("p", { className: "small", text: d.procedureName + " · " + d.payload.applicant_name + " · " + CDM.receipt.when(d.createdAt) }),
      ].concat(lines, [actions])));
    }
    if (!dossiers.length) { rows.push(el("li", { className: "muted", text: text.emptyOutbox })); }
    CDM.store.countWaiting(dossiers.filter(function (d) { return d.state !== "sent"; }).length);
    // Built aside and swapped in at once: two renders racing (a save and a sync step) never mix their rows.
    $("outbox").replaceChildren.apply($("outbox"), rows);
    $("outbox-counts").textContent = format(text.counts, counts);
    var lastSync = await CDM.store.getMeta("lastSync");
    $("sync-info").textContent = lastSync ? format(text.lastSync, { date: CDM.receipt.when(lastSync) }) : text.neverSynced;
    banners();
  }

  // What the outbox row says of a correction: waiting, sent (with the version), or kept for the officer.
  function editLines(d) {
    var lines = [];
    if (d.edit && d.edit.state === "conflict") {
      lines.push(el("p", { className: "msg msg-warning small tld-conflict", text: text.editConflict }));
    } else if (d.edit && d.edit.state === "pending") {
      lines.push(el("p", { className: "small", text: format(text.editWaiting, { time: CDM.receipt.when(d.edit.savedAt) }) }));
    } else if (d.editSentAt) {
      lines.push(el("p", { className: "small", text: format(text.editSent, { time: CDM.receipt.when(d.editSentAt), n: d.editVersion - 1 }) }));
    } else if (d.editedAt && !d.result) {
      lines.push(el("p", { className: "small", text: format(text.editedBeforeSend, { time: CDM.receipt.when(d.editedAt) }) }));
    }
    return lines;
  }

  // Why a dossier cannot be corrected on the phone any more ("" when it can): the register is the officer's.
  function editRefusal(d) {
    var status = d.result && d.result.status;
    if (!status || status === "review") { return ""; }
    if (status === "linked") { return format(text.lockedLinked, { code: d.result.dossierCode || "" }); }
    if (status === "dismissed") { return text.lockedDismissed; }
    return format(text.lockedRegistered, { code: d.result.dossierCode || "" });
  }

  async function openEdit(uuid) {
    var dossier = await CDM.store.getDossier(uuid);
    if (!dossier) { return; }
    var refusal = editRefusal(dossier);
    if (refusal) { flash(refusal); show("home"); return; }
    if (!pack) { flash(text.packNone); return; }
    await CDM.form.edit(dossier);
  }

  async function outboxClick(event) {
    var receipt = event.target.closest("[data-receipt]");
    var retry = event.target.closest("[data-retry]");
    var edit = event.target.closest("[data-edit]");
    if (receipt) {
      showReceipt(await CDM.store.getDossier(receipt.getAttribute("data-receipt")));
    } else if (edit) {
      await openEdit(edit.getAttribute("data-edit"));
    } else if (retry) {
      CDM.sync.retry(retry.getAttribute("data-retry"));
    }
  }

  // The receipt, with a button to correct the dossier while that is still possible (and the reason when not).
  function showReceipt(dossier) {
    CDM.receipt.show(dossier, config);
    var refusal = editRefusal(dossier);
    $("receipt-edit").hidden = !!refusal;
    $("receipt-edit").setAttribute("data-uuid", dossier.uuid);
    $("receipt-locked").hidden = !refusal;
    $("receipt-locked").textContent = refusal;
    var status = $("receipt-status");
    var notes = editLines(dossier).map(function (line) { return line.textContent; });
    if (notes.length) { status.textContent = [status.textContent].concat(notes).filter(Boolean).join(" "); }
    show("receipt");
  }

  // A dossier is on the phone: show its receipt, count it, send it if there is a network.
  function saved(dossier) {
    device.next = (device.next || 1) + 1;
    renderDevice();
    askPersistence();
    showReceipt(dossier);
    renderOutbox();
    CDM.sync.run(true);
  }

  // A correction is on the phone: the receipt (same code, corrected content), then the outbox sends it.
  function edited(dossier, changed) {
    showReceipt(dossier);
    flash(changed ? format(dossier.result ? text.editSavedAfterSend : text.editSaved, { code: dossier.code }) : text.editUnchanged);
    renderOutbox();
    CDM.sync.run(true);
  }

  // What mobile/form.js uses of the shell.
  CDM.app = {
    get config() { return config; },
    get text() { return text; },
    get pack() { return pack; },
    get device() { return device; },
    el: el, format: format, show: show, day: day, saved: saved, edited: edited, editRefusal: editRefusal,
  };

  // -- Start -------------------------------------------------------------------------------------------------------

  function askPersistence() {
    if (!navigator.storage || !navigator.storage.persist) { return; }
    navigator.storage.persisted().then(function (already) {
      return already || navigator.storage.persist();
    }).then(function (granted) {
      persisted = granted;
      banners();
    }).catch(function () {});
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) { return; }
    navigator.serviceWorker.register(config.worker, { scope: config.scope }).catch(function () {
      // Not fatal: the app still works online; the banner about HTTPS covers the usual cause.
    });
  }

  async function start() {
    config = JSON.parse($("app-config").textContent);
    text = config.text;
    CDM.timeZone = config.timeZone;
    CDM.store.use(config.userKey, config.user);
    CDM.sync.init(config);
    registerWorker();
    network();
    device = (await CDM.store.getMeta("device")) || null;
    pack = (await CDM.store.getMeta("pack")) || null;
    renderDevice();
    renderPack();
    askPersistence();

    $("device-form").addEventListener("submit", registerDevice);
    $("pack-download").addEventListener("click", downloadPack);
    CDM.form.bind(CDM.app);
    $("new-dossier").addEventListener("click", CDM.form.open);
    $("cancel-dossier").addEventListener("click", function () { show("home"); });
    $("receipt-edit").addEventListener("click", function () { openEdit($("receipt-edit").getAttribute("data-uuid")); });
    $("receipt-print").addEventListener("click", function () { window.print(); });
    $("receipt-next").addEventListener("click", CDM.form.open);
    $("receipt-done").addEventListener("click", function () { show("home"); });
    $("outbox").addEventListener("click", outboxClick);
    $("sync-now").addEventListener("click", function () {
      if (!navigator.onLine) { flash(text.needOnline); return; }
      CDM.sync.run(true);
    });
    window.addEventListener("online", function () { network(); CDM.sync.run(true); });
    window.addEventListener("offline", network);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { CDM.sync.run(true); }
    });
    CDM.sync.onChange(function () { renderOutbox(); });
    await renderOutbox();
    CDM.sync.run(true);
    document.body.setAttribute("data-ready", "1");
  }

  document.addEventListener("DOMContentLoaded", function () {
    start().catch(function (error) {
      $("flash").appendChild(el("p", { className: "msg msg-error", text: format(config && config.text ? config.text.storageError : "%(error)s", { error: error.message || String(error) }) }));
    });
  });
})();
