// CivicDesk – Tổ lưu động: photos of documents, compressed on the phone before they are kept or sent.
//
// A phone camera's photo is 3–8 MB; over a weak mobile link in a hamlet that is minutes per page. Each photo is
// redrawn on a canvas as a JPEG, longest side at most 1600 px, quality 0.7 (smaller steps after that if it is still
// over the limit), and refused if it cannot be brought under the server's limit. The thumbnail is a small data: URL
// (the Content-Security-Policy allows data: images, not blob: ones).
(function () {
  "use strict";
  var CDM = (window.CDM = window.CDM || {});
  var STEPS = [[1600, 0.7], [1600, 0.55], [1280, 0.5], [1024, 0.45]];

  function readAsDataURL(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsDataURL(file);
    });
  }

  async function decode(file) {
    if (window.createImageBitmap) {
      try {
        // Photos taken upright carry their rotation in EXIF: apply it, or the page would be sideways.
        return await createImageBitmap(file, { imageOrientation: "from-image" });
      } catch (error) {
        // Older Safari: fall back to an <img> below.
      }
    }
    var image = new Image();
    image.src = await readAsDataURL(file);
    await image.decode();
    return image;
  }

  function draw(source, side) {
    var width = source.width, height = source.height;
    var scale = Math.min(1, side / Math.max(width, height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG would turn black in a JPEG
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  function toBlob(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", quality); });
  }

  async function sha256(blob) {
    var buffer = blob.arrayBuffer ? await blob.arrayBuffer() : await new Response(blob).arrayBuffer();
    var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
    return Array.prototype.map.call(digest, function (byte) { return byte.toString(16).padStart(2, "0"); }).join("");
  }

  // Resolves to {blob, type, size, width, height, sha256, thumb}; rejects with error.code "unreadable" or "too_big".
  async function compress(file, maxBytes) {
    var source;
    try {
      source = await decode(file);
    } catch (error) {
      throw Object.assign(new Error("unreadable"), { code: "unreadable" });
    }
    for (var i = 0; i < STEPS.length; i++) {
      var canvas = draw(source, STEPS[i][0]);
      var blob = await toBlob(canvas, STEPS[i][1]);
      if (blob && blob.size <= maxBytes) {
        var thumb = draw(canvas, 160).toDataURL("image/jpeg", 0.6);
        if (source.close) { source.close(); }
        return {
          blob: blob, type: "image/jpeg", size: blob.size, width: canvas.width, height: canvas.height,
          sha256: await sha256(blob), thumb: thumb,
        };
      }
    }
    if (source.close) { source.close(); }
    throw Object.assign(new Error("too_big"), { code: "too_big" });
  }

  CDM.photos = { compress: compress, sha256: sha256 };
})();
