"""The text layer of a PDF made by reportlab, read without a PDF library (none is installed).

reportlab embeds each TrueType subset with a ToUnicode CMap and writes page text as `(…) Tj` strings of one-byte
codes, usually in Flate streams: map the codes back through the CMaps. Enough for reportlab's own output, not a
general PDF reader.
"""

import base64
import re
import zlib

_OBJECT = re.compile(rb"(?s)(\d+) 0 obj\s*(.*?)endobj")
_OPS = re.compile(rb"/(\S+) [\d.]+ Tf|\(((?:\\.|[^\\)])*)\)\s*Tj|(T\*|\bTd\b|\bTD\b|\bET\b)")


def _stream(body):
    head, _sep, rest = body.partition(b"stream")
    raw = rest.lstrip(b"\r\n").rsplit(b"endstream", 1)[0]
    if b"ASCII85Decode" in head:
        raw = base64.a85decode(raw.strip().removesuffix(b"~>"), ignorechars=b" \t\r\n")
    return zlib.decompress(raw) if b"FlateDecode" in head else raw


def _unescape(raw):
    """A PDF literal string's bytes (backslash escapes, octal codes)."""
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i] != 0x5C:
            out.append(raw[i])
            i += 1
            continue
        octal = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
        if octal:
            out.append(int(octal[0], 8) & 0xFF)
            i += 1 + len(octal[0])
        else:
            nxt = raw[i + 1 : i + 2]
            out += {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(nxt, nxt)
            i += 2
    return bytes(out)


def _cmaps(objects):
    fonts = {}
    for body in objects.values():
        font = re.search(rb"(?s)/Name /(\S+).*?/ToUnicode (\d+) 0 R", body)
        if font:
            table = {}
            for block in re.findall(rb"(?s)beginbfchar(.*?)endbfchar", _stream(objects[int(font[2])])):
                for code, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                    table[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
            fonts[font[1]] = table
    return fonts


def pdf_text(data):
    """The PDF's text, one text line a line, pages in order."""
    objects = {int(m[1]): m[2] for m in _OBJECT.finditer(data)}
    fonts = _cmaps(objects)
    lines = []
    for body in objects.values():
        if b"stream" not in body or b"/Length1" in body:
            continue  # not a stream, or an embedded font file
        content = _stream(body)
        if b"begincmap" in content:
            continue
        font, line = None, []
        for m in _OPS.finditer(content):
            if m[1]:
                font = fonts.get(m[1])
            elif m[3]:
                if line:
                    lines.append("".join(line))
                line = []
            else:
                raw = _unescape(m[2])
                line.append(
                    "".join(font.get(b, "?") for b in raw) if font is not None else raw.decode("latin-1")
                )
    return "\n".join(line.strip() for line in lines if line.strip())


def flat(data):
    """The text with every run of whitespace one space: a phrase wrapped over two lines still matches."""
    return " ".join(pdf_text(data).split())
