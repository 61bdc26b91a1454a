// CivicDesk – Tổ lưu động: the outbox. Each dossier is sent under its client UUID (PUT, idempotent: a retry after a
// lost answer is answered 200 with the same record), then each of its photos under their own UUIDs. Nothing is
// removed from the phone; a dossier becomes "sent" once the server holds it and all its photos. A correction made on
// the phone after the server took the dossier goes out the same way, as an edit with the version the phone last saw
// (`base_version`); if the officer has dealt with the dossier since, the server keeps the edit for them to compare
// (409 `conflict`) and the phone shows so, keeping what was typed.
//
// When: on app open, on the `online` event, after each save, by the "Gửi ngay" button, and after a failure with
// exponential backoff and jitter (5 s doubling up to 10 min). iOS has no Background Sync, so the app never relies on
// it. Two tabs never send at the same time (Web Locks where the browser has them).
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var BASE_MS = 5000;
  var CAP_MS = 10 * 60 * 1000;

  var config, text, listeners = [];
  var running = false, again = false, timer = null, failures = 0;
  var state = { current: null, nextRunAt: null, needLogin: false };

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key] === undefined ? "" : values[key]; });
  }

  function csrfToken() {
    var match = document.cookie.match(new RegExp("(?:^|;\\s*)" + config.csrfCookie + "=([^;]+)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  // {status, body} — status 0 when the network failed (offline, connection cut mid-upload).
  async function request(method, url, body, headers) {
    var init = {
      method: method,
      credentials: "same-origin",
      cache: "no-store",
      headers: Object.assign({ Accept: "application/json", "X-CSRFToken": csrfToken() }, headers || {}),
    };
    if (body !== undefined) {
      init.body = body;
    }
    var response;
    try {
      response = await fetch(url, init);
    } catch (error) {
      return { status: 0, body: null };
    }
    var data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    return { status: response.status, body: data };
  }

  function errorText(answer) {
    if (answer.status === 0) {
      return text.networkError;
    }
    var error = answer.body && answer.body.error;
    if (!error) {
      return format(text.serverError, { status: answer.status });
    }
    var parts = [error.message];
    if (error.details && typeof error.details === "object") {
      Object.keys(error.details).forEach(function (key) {
        var value = error.details[key];
        if (Array.isArray(value) && typeof value[0] === "string") {
          parts.push(value.join(" "));
        }
      });
    }
    return parts.join(" ");
  }

  // ok | login (sign in again, nothing wrong with the dossier) | transient (try again later) | permanent
  function classify(answer) {
    var status = answer.status;
    var code = answer.body && answer.body.error && answer.body.error.code;
    if (status >= 200 && status < 300) { return "ok"; }
    if (status === 401) { return "login"; }
    if (status === 403 && /CSRF/.test(errorText(answer))) { return "login"; }
    if (status === 0 || status === 408 || status === 429 || status >= 500) { return "transient"; }
    if (code === "hash_mismatch") { return "transient"; }
    return "permanent";
  }

  function notify() {
    listeners.forEach(function (listener) { listener(state); });
  }

  // Sends the dossier (or its correction) until the server holds what the phone holds, then its photos. Every write
  // goes through CDM.store.update on the record as it is now: the official may correct it while it is on its way.
  async function sendDossier(dossier) {
    var uuid = dossier.uuid, started = Date.now();
    for (var round = 0; round < 3 && (!dossier.result || (dossier.edit && dossier.edit.state === "pending")); round++) {
      var kind = await putDossier(dossier);
      if (kind !== "ok" && kind !== "again") { return kind; }
      dossier = await CDM.store.getDossier(uuid);
    }
    var photos = await CDM.store.photosOf(uuid);
    for (var i = 0; i < photos.length; i++) {
      var photo = photos[i];
      if (photo.state !== "pending") { continue; }
      var sent = await request(
        "PUT", config.api.dossier + uuid + "/attachments/" + photo.uuid, photo.blob,
        { "Content-Type": photo.type, "X-Content-SHA256": photo.sha256 }
      );
      var outcome = classify(sent);
      if (outcome === "ok") {
        photo.state = "sent";
        photo.error = "";
      } else if (outcome === "permanent") {
        photo.state = "failed";
        photo.error = errorText(sent);
      } else {
        var problem = outcome === "login" ? text.needLogin : errorText(sent);
        await CDM.store.update(uuid, function (d) { d.lastError = problem; });
        return outcome;
      }
      await CDM.store.putPhoto(photo);
    }
    photos = await CDM.store.photosOf(uuid);
    var problems = photos.filter(function (p) { return p.state === "failed"; }).map(function (p) {
      return format(text.photoFailed, { n: photos.indexOf(p) + 1, message: p.error });
    });
    var left = false;
    await CDM.store.update(uuid, function (d) {
      if ((d.editedAt || 0) >= started) {
        left = true; // corrected while it was being sent: the correction goes in the next round
        return;
      }
      d.state = problems.length ? "failed" : "sent";
      d.lastError = problems.join(" ");
      d.sentAt = Date.now();
      d.nextAttemptAt = null;
    });
    if (left) { again = true; }
    return "ok";
  }

  // One PUT of the dossier: new (no result yet), or a correction of what the server holds, with the version the
  // phone last saw as `base_version`. ok | again (send once more) | login | transient | permanent.
  async function putDossier(dossier) {
    var url = config.api.dossier + dossier.uuid;
    var sending = JSON.stringify(dossier.payload);
    var body = dossier.payload;
    if (dossier.result) {
      body = Object.assign({}, dossier.payload, { base_version: dossier.edit ? dossier.edit.baseVersion : dossier.result.version });
    }
    var answer = await request("PUT", url, JSON.stringify(body), { "Content-Type": "application/json" });
    var kind = classify(answer);
    var code = answer.body && answer.body.error && answer.body.error.code;
    if (kind === "permanent" && code === "uuid_reused" && !dossier.result && dossier.editedAt) {
      // The server took the dossier before it was corrected (its answer was lost on the way): ask for its version
      // and send the correction as an edit of it.
      var known = await request("GET", url);
      if (known.status === 200) {
        await CDM.store.update(dossier.uuid, function (d) {
          remember(d, known.body);
          d.edit = { state: "pending", baseVersion: known.body.version, savedAt: d.editedAt, error: "" };
        });
        return "again";
      }
    }
    if (kind === "permanent" && code === "conflict") {
      // The officer has dealt with it (or it changed) since the version the phone edited: the server kept the
      // correction for the officer to compare and wrote nothing over. The phone keeps what was typed.
      var now = await request("GET", url);
      await CDM.store.update(dossier.uuid, function (d) {
        d.attempts = (d.attempts || 0) + 1;
        if (now.status === 200) { remember(d, now.body); }
        d.edit = Object.assign({}, d.edit, { state: "conflict", at: Date.now() });
        d.lastError = "";
      });
      return "ok";
    }
    if (kind !== "ok") {
      var problem = kind === "login" ? text.needLogin : errorText(answer);
      await CDM.store.update(dossier.uuid, function (d) {
        d.attempts = (d.attempts || 0) + 1;
        d.lastError = problem;
        if (kind === "permanent") {
          d.state = "failed";
          if (d.edit) { d.edit.state = "failed"; }
        }
      });
      return kind;
    }
    await CDM.store.update(dossier.uuid, function (d) {
      d.attempts = (d.attempts || 0) + 1;
      var wasEdit = !!d.result;
      remember(d, answer.body);
      d.lastError = "";
      if (JSON.stringify(d.payload) === sending) {
        if (wasEdit) {
          d.editSentAt = Date.now();
          d.editVersion = answer.body.version;
        }
        d.edit = null;
      } else {
        d.edit = { state: "pending", baseVersion: answer.body.version, savedAt: d.editedAt, error: "" };
      }
    });
    return "ok";
  }

  function remember(dossier, body) {
    dossier.result = {
      status: body.status, reason: body.reason, dossierCode: body.dossier_code, message: body.message,
      version: body.version, statusUrl: body.status_url,
    };
  }

  // Dossiers the server kept for the commune officer: ask where they stand now (registered, linked, dismissed).
  async function refreshReviewed() {
    var waiting = (await CDM.store.dossiers()).filter(function (d) {
      return d.state === "sent" && d.result && d.result.status === "review";
    });
    for (var i = 0; i < waiting.length; i++) {
      var answer = await request("GET", config.api.dossier + waiting[i].uuid);
      if (answer.status !== 200) { return; }
      if (answer.body.status !== "review" || answer.body.version !== waiting[i].result.version) {
        var body = answer.body;
        await CDM.store.update(waiting[i].uuid, function (d) { if (d.result) { remember(d, body); } });
      }
    }
  }

  function backoff(attempt) {
    var ceiling = Math.min(CAP_MS, BASE_MS * Math.pow(2, attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2); // "equal jitter": phones of one team do not retry in step
  }

  function schedule(delay) {
    clearTimeout(timer);
    state.nextRunAt = delay === null ? null : Date.now() + delay;
    if (delay !== null) {
      timer = setTimeout(function () { run(false); }, delay);
    }
  }

  async function pass(force) {
    var due = (await CDM.store.dossiers()).filter(function (d) { return d.state === "pending"; });
    due.sort(function (a, b) { return a.createdAt - b.createdAt; });
    if (!due.length) {
      failures = 0;
      schedule(null);
      if (force) { await refreshReviewed(); }
      return;
    }
    if (!force && state.nextRunAt && Date.now() + 50 < state.nextRunAt) {
      return;
    }
    var trouble = null;
    for (var i = 0; i < due.length; i++) {
      state.current = due[i].uuid;
      notify();
      var kind = await sendDossier(due[i]);
      if (kind === "ok" || kind === "permanent") {
        await CDM.store.setMeta("lastSync", Date.now());
        state.needLogin = false;
      } else {
        trouble = kind;
        if (kind === "login") { state.needLogin = true; }
        if (kind === "login" || due[i].lastError === text.networkError) {
          break; // offline or signed out: the others would fail the same way
        }
      }
    }
    state.current = null;
    if (trouble) {
      failures += 1;
      var delay = backoff(failures);
      var at = Date.now() + delay;
      var rest = (await CDM.store.dossiers()).filter(function (d) { return d.state === "pending"; });
      for (var j = 0; j < rest.length; j++) {
        await CDM.store.update(rest[j].uuid, function (d) { d.nextAttemptAt = at; });
      }
      schedule(trouble === "login" ? null : delay);
    } else {
      failures = 0;
      schedule(null);
      await refreshReviewed();
    }
  }

  // Sends what waits. `force` (app open, back online, a save, the button) ignores the backoff's wait.
  async function run(force) {
    if (!navigator.onLine) {
      notify();
      return;
    }
    if (running) {
      again = again || force;
      return;
    }
    running = true;
    try {
      var work = function () { return pass(force); };
      if (navigator.locks && navigator.locks.request) {
        await navigator.locks.request("civicdesk-mobile-sync", work);
      } else {
        await work();
      }
    } finally {
      running = false;
      state.current = null;
      notify();
    }
    if (again) {
      again = false;
      run(true);
    }
  }

  async function retry(uuid) {
    var dossier = await CDM.store.getDossier(uuid);
    if (!dossier || dossier.state !== "failed") { return; }
    var photos = await CDM.store.photosOf(uuid);
    for (var i = 0; i < photos.length; i++) {
      if (photos[i].state === "failed") {
        photos[i].state = "pending";
        await CDM.store.putPhoto(photos[i]);
      }
    }
    await CDM.store.update(uuid, function (d) {
      d.state = "pending";
      if (d.edit && d.edit.state === "failed") { d.edit.state = "pending"; }
    });
    return run(true);
  }

  CDM.sync = {
    init: function (appConfig) {
      config = appConfig;
      text = appConfig.text;
    },
    request: request,
    errorText: errorText,
    classify: classify,
    format: format,
    run: run,
    retry: retry,
    state: state,
    onChange: function (listener) { listeners.push(listener); },
  };
})();
