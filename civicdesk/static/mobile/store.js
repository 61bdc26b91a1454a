// CivicDesk – Tổ lưu động: what the phone keeps in IndexedDB (through the vendored `idb`), so that nothing taken in a
// hamlet is lost when the page is reloaded offline or the app is closed.
//
//   meta      key → value: "device" {prefix, label, commune, next} (the receipt counter lives with its prefix),
//             "pack" (the trip pack and when it was downloaded), "lastSync" (last time the server answered).
//   dossiers  one per dossier taken, by client UUID: the exact payload sent (a retry must send the same bytes),
//             what the receipt shows, and the outbox state: pending → sent | failed (with the error).
//   photos    one per compressed photo, by its own UUID, with the dossier's UUID (index "dossier").
//
// Each signed-in user has a database of their own ("civicdesk-mobile-<user>"), so a phone passed from one member of
// the team to another never shows the first one's dossiers to the second, and what the first left unsent waits,
// untouched, until they sign in again. The database of the app's first version ("civicdesk-mobile", one per phone)
// belongs to the first user who opens this version (meta "owner"): what it holds is theirs and is sent as before.
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var LEGACY = "civicdesk-mobile";
  var OWNERS = "civicdesk-mobile-owners"; // localStorage: who else keeps dossiers on this phone (names, counts)
  var owner = null, name = null, opened = null;

  function open(dbName) {
    return window.idb.openDB(dbName, 1, {
        upgrade: function (database) {
          database.createObjectStore("meta");
          database.createObjectStore("dossiers", { keyPath: "uuid" });
          database.createObjectStore("photos", { keyPath: "uuid" }).createIndex("dossier", "dossier");
        },
        blocking: function () {
          // Another tab opened a newer version of the database: let it upgrade.
          if (opened) { opened.then(function (database) { database.close(); }); }
          opened = null;
        },
      });
  }

  // The database of the signed-in user: the first version's one if it is unclaimed or theirs, else their own.
  async function choose() {
    var legacy = await open(LEGACY);
    var claimed = await legacy.get("meta", "owner");
    if (!claimed || claimed === owner) {
      if (!claimed) { await legacy.put("meta", owner, "owner"); }
      name = LEGACY;
      return legacy;
    }
    legacy.close();
    name = LEGACY + "-" + owner;
    return open(name);
  }

  function db() {
    if (!owner) { return Promise.reject(new Error("no user")); }
    if (!opened) { opened = name ? open(name) : choose(); }
    return opened;
  }

  function owners() {
    try {
      return JSON.parse(window.localStorage.getItem(OWNERS) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function code(prefix, number) {
    return "TLD-" + prefix + "-" + String(number).padStart(4, "0");
  }

  CDM.store = {
    code: code,

    // Must be called before anything else: `key` is the signed-in user's (from the page), `label` their name.
    use: function (key, label) {
      owner = String(key);
      var all = owners();
      all[owner] = Object.assign({ waiting: 0 }, all[owner], { name: label });
      try { window.localStorage.setItem(OWNERS, JSON.stringify(all)); } catch (error) { /* private mode: no list */ }
    },

    // Records how many of this user's dossiers are not yet on the server, for the next user of the phone to see.
    countWaiting: function (count) {
      var all = owners();
      if (!all[owner] || all[owner].waiting === count) { return; }
      all[owner].waiting = count;
      try { window.localStorage.setItem(OWNERS, JSON.stringify(all)); } catch (error) { /* see use() */ }
    },

    // The other users of this phone who left dossiers unsent: [{name, waiting}].
    othersWaiting: function () {
      var all = owners();
      return Object.keys(all).filter(function (key) { return key !== owner && all[key].waiting > 0; }).map(function (key) {
        return all[key];
      });
    },

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

    // Changes a stored dossier in one transaction: `change(dossier)` edits the record read inside it (never a copy
    // read earlier, which a save or a sync step may have changed since) and must not wait on anything.
    update: async function (uuid, change) {
      var tx = (await db()).transaction("dossiers", "readwrite");
      var store = tx.objectStore("dossiers");
      var dossier = await store.get(uuid);
      if (dossier) {
        change(dossier);
        store.put(dossier);
      }
      await tx.done;
      return dossier;
    },

    // Stores a corrected dossier and its photos in one transaction: `edit(dossier)` changes the record read inside
    // it and returns {changed, add: [photos], remove: [photo UUIDs]}; photos already on the server are never removed.
    saveEdit: async function (uuid, edit) {
      var tx = (await db()).transaction(["dossiers", "photos"], "readwrite");
      var dossiers = tx.objectStore("dossiers"), photos = tx.objectStore("photos");
      var dossier = await dossiers.get(uuid);
      if (!dossier) {
        tx.abort();
        throw new Error("no dossier");
      }
      var current = await photos.index("dossier").getAll(uuid);
      var made = edit(dossier, current);
      made.remove.forEach(function (photoUuid) {
        var photo = current.find(function (p) { return p.uuid === photoUuid; });
        if (photo && photo.state !== "sent") { photos.delete(photoUuid); }
      });
      made.add.forEach(function (photo) { photos.add(photo); });
      if (made.changed) {
        // A photo the server refused before is offered again with the corrected dossier.
        current.forEach(function (photo) {
          if (photo.state === "failed" && made.remove.indexOf(photo.uuid) === -1) {
            photo.state = "pending";
            photo.error = "";
            photos.put(photo);
          }
        });
      }
      dossiers.put(dossier);
      await tx.done;
      return dossier;
    },
  };
})();
