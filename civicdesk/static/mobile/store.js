// CivicDesk – Tổ lưu động: what the phone keeps in IndexedDB (through the vendored `idb`), so that nothing taken in a
// hamlet is lost when the page is reloaded offline or the app is closed.
//
//   meta      key → value: "device" {prefix, label, commune, next} (the receipt counter lives with its prefix),
//             "pack" (the trip pack and when it was downloaded), "lastSync" (last time the server answered).
//   dossiers  one per dossier taken, by client UUID: the exact payload sent (a retry must send the same bytes),
//             what the receipt shows, and the outbox state: pending → sent | failed (with the error).
//   photos    one per compressed photo, by its own UUID, with the dossier's UUID (index "dossier").
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var NAME = "civicdesk-mobile";
  var opened = null;

  function db() {
    if (!opened) {
      opened = window.idb.openDB(NAME, 1, {
        upgrade: function (database) {
          database.createObjectStore("meta");
          database.createObjectStore("dossiers", { keyPath: "uuid" });
          database.createObjectStore("photos", { keyPath: "uuid" }).createIndex("dossier", "dossier");
        },
        blocking: function () {
          // Another tab opened a newer version of the database: let it upgrade.
          opened.then(function (database) { database.close(); });
          opened = null;
        },
      });
    }
    return opened;
  }

  function code(prefix, number) {
    return "TLD-" + prefix + "-" + String(number).padStart(4, "0");
  }

  CDM.store = {
    code: code,

    getMeta: function (key) {
      return db().then(function (database) { return database.get("meta", key); });
    },

    setMeta: function (key, value) {
      return db().then(function (database) { return database.put("meta", value, key); });
    },

    // Takes the device's next receipt number and stores the dossier and its photos in one transaction: either all
    // of it is on the phone with a number no other dossier has, or none of it is. `build(code, number)` returns
    // {dossier, photos} and must not wait on anything (an IndexedDB transaction ends when it has no request open).
    saveDossier: async function (build) {
      var database = await db();
      var tx = database.transaction(["meta", "dossiers", "photos"], "readwrite");
      var meta = tx.objectStore("meta");
      var device = await meta.get("device");
      if (!device) {
        tx.abort();
        throw new Error("no device");
      }
      var number = device.next || 1;
      var made = build(code(device.prefix, number), number, device);
      device.next = number + 1;
      meta.put(device, "device");
      tx.objectStore("dossiers").add(made.dossier);
      made.photos.forEach(function (photo) { tx.objectStore("photos").add(photo); });
      await tx.done;
      return made.dossier;
    },

    dossiers: async function () {
      var all = await (await db()).getAll("dossiers");
      return all.sort(function (a, b) { return b.createdAt - a.createdAt; });
    },

    getDossier: async function (uuid) {
      return (await db()).get("dossiers", uuid);
    },

    putDossier: async function (dossier) {
      return (await db()).put("dossiers", dossier);
    },

    photosOf: async function (uuid) {
      return (await db()).getAllFromIndex("photos", "dossier", uuid);
    },

    putPhoto: async function (photo) {
      return (await db()).put("photos", photo);
    },
  };
})();
