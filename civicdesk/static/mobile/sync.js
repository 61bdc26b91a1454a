// CivicDesk – Tổ lưu động: the outbox. Each dossier is sent under its client UUID (PUT, idempotent: a retry after a
// lost answer is answered 200 with the same record), then each of its photos under their own UUIDs. Nothing is
// removed from the phone; a dossier becomes "sent" once the server holds it and all its photos.
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

  async function sendDossier(dossier) {
    if (!dossier.result) {
      var answer = await request(
        "PUT", config.api.dossier + dossier.uuid, JSON.stringify(dossier.payload), { "Content-Type": "application/json" }
      );
      var kind = classify(answer);
      dossier.attempts = (dossier.attempts || 0) + 1;
      if (kind !== "ok") {
        dossier.lastError = kind === "login" ? text.needLogin : errorText(answer);
        if (kind === "permanent") {
          dossier.state = "failed";
        }
        await CDM.store.putDossier(dossier);
        return kind;
      }
      remember(dossier, answer.body);
      dossier.lastError = "";
      await CDM.store.putDossier(dossier);
    }
    var photos = await CDM.store.photosOf(dossier.uuid);
    for (var i = 0; i < photos.length; i++) {
      var photo = photos[i];
      if (photo.state !== "pending") { continue; }
      var sent = await request(
        "PUT", config.api.dossier + dossier.uuid + "/attachments/" + photo.uuid, photo.blob,
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
        dossier.lastError = outcome === "login" ? text.needLogin : errorText(sent);
        await CDM.store.putDossier(dossier);
        return outcome;
      }
      await CDM.store.putPhoto(photo);
    }
    var problems = photos.filter(function (p) { return p.state === "failed"; }).map(function (p) {
      return format(text.photoFailed, { n: photos.indexOf(p) + 1, message: p.error });
    });
    dossier.state = problems.length ? "failed" : "sent";
    dossier.lastError = problems.join(" ");
    dossier.sentAt = Date.now();
    dossier.nextAttemptAt = null;
    await CDM.store.putDossier(dossier);
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
      if (answer.body.status !== "review") {
        remember(waiting[i], answer.body);
        await CDM.store.putDossier(waiting[i]);
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
        rest[j].nextAttemptAt = at;
        await CDM.store.putDossier(rest[j]);
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
    dossier.state = "pending";
    await CDM.store.putDossier(dossier);
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
