"""An independent reader of TensorBoard event files, with only Python's standard library.

    python3 nn-layers/src/test/python/read_tfevents.py LOGDIR_OR_FILE...

For every events file (a file whose name contains "tfevents", searched recursively) it checks the TFRecord framing
(little-endian uint64 length, masked CRC32C of the length, data, masked CRC32C of the data), decodes each record as
a tensorflow Event protocol buffer with its own decoder, and checks what TensorBoard relies on: the first event holds
file_version "brain.Event:2"; a histogram's bucket counts add up to its count and it has as many limits as counts; an
image is a PNG whose header has the image's width and height; a text is a one-element string tensor of the text
plugin; hparams plugin data decodes. It prints one JSON line per event and exits with status 1 on the first fault.
"""
import json
import os
import struct
import sys
import zlib

# ---------------------------------------------------------------------------------------------------- CRC32C


def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_TABLE = _crc32c_table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(path):
    """The data of each record of a TFRecord file; raises ValueError naming the offset of a bad record."""
    with open(path, "rb") as f:
        blob = f.read()
    pos = 0
    while pos < len(blob):
        if len(blob) - pos < 12:
            raise ValueError("%s: truncated record header at offset %d" % (path, pos))
        header = blob[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", blob[pos + 8:pos + 12])
        if masked_crc(header) != length_crc:
            raise ValueError("%s: bad length CRC at offset %d" % (path, pos))
        end = pos + 12 + length + 4
        if end > len(blob):
            raise ValueError("%s: truncated record at offset %d (%d data bytes announced)" % (path, pos, length))
        data = blob[pos + 12:pos + 12 + length]
        (data_crc,) = struct.unpack("<I", blob[end - 4:end])
        if masked_crc(data) != data_crc:
            raise ValueError("%s: bad data CRC at offset %d" % (path, pos))
        yield data
        pos = end


# ---------------------------------------------------------------------------------------------------- protobuf


def fields(data):
    """{field number: [values]}: ints for varints, bytes for length-delimited, ('f64'|'f32', bytes) for fixed."""
    out = {}
    pos = 0

    def varint():
        nonlocal pos
        shift = result = 0
        while True:
            b = data[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            if not b & 0x80:
                return result
            shift += 7
            if shift > 63:
                raise ValueError("varint too long")

    while pos < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            value = varint()
        elif wire == 1:
            value = ("f64", data[pos:pos + 8])
            pos += 8
        elif wire == 2:
            n = varint()
            value = data[pos:pos + n]
            if len(value) != n:
                raise ValueError("length-delimited field %d runs past the end" % number)
            pos += n
        elif wire == 5:
            value = ("f32", data[pos:pos + 4])
            pos += 4
        else:
            raise ValueError("unsupported wire type %d (field %d)" % (wire, number))
        out.setdefault(number, []).append(value)
    if pos != len(data):
        raise ValueError("message overruns its length")
    return out


def f64(v):
    return struct.unpack("<d", v[1])[0]


def f32(v):
    return struct.unpack("<f", v[1])[0]


def one(msg, number, convert, default=None):
    values = msg.get(number)
    return convert(values[-1]) if values else default


def text(v):
    return v.decode("utf-8")


def packed_doubles(msg, number):
    out = []
    for chunk in msg.get(number, []):
        if isinstance(chunk, tuple):
            out.append(f64(chunk))
        else:
            out.extend(struct.unpack("<%dd" % (len(chunk) // 8), chunk))
    return out


def check(condition, message):
    if not condition:
        raise ValueError(message)


# ---------------------------------------------------------------------------------------------------- messages


def png_size(png):
    check(png[:8] == b"\x89PNG\r\n\x1a\n", "image is not a PNG")
    check(png[12:16] == b"IHDR", "PNG without IHDR first")
    width, height = struct.unpack(">II", png[16:24])
    # the image data inflates (zlib) to height rows of filter byte + pixels
    idat = b""
    pos = 8
    while pos < len(png):
        (n,) = struct.unpack(">I", png[pos:pos + 4])
        kind = png[pos + 4:pos + 8]
        if kind == b"IDAT":
            idat += png[pos + 8:pos + 8 + n]
        check(zlib.crc32(png[pos + 4:pos + 8 + n]) == struct.unpack(">I", png[pos + 8 + n:pos + 12 + n])[0],
              "PNG chunk %r has a bad CRC" % kind)
        pos += 12 + n
    raw = zlib.decompress(idat)
    bit_depth, colour = png[24], png[25]
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    check(bit_depth == 8, "PNG bit depth %d" % bit_depth)
    check(len(raw) == height * (1 + width * channels), "PNG data does not fill %dx%d" % (width, height))
    return width, height, channels


def plugin(value):
    meta = one(value, 9, fields)
    if meta is None:
        return None, b""
    data = one(meta, 1, fields, {})
    return one(data, 1, text, ""), one(data, 2, bytes, b"")


def proto_value(v):
    kinds = fields(v)
    if 2 in kinds:
        return f64(kinds[2][-1])
    if 3 in kinds:
        return text(kinds[3][-1])
    if 4 in kinds:
        return bool(kinds[4][-1])
    raise ValueError("google.protobuf.Value of an unsupported kind %s" % sorted(kinds))


def hparams(content):
    data = fields(content)
    out = {"version": one(data, 1, int, 0)}
    if 2 in data:
        exp = fields(data[2][-1])
        out["experiment"] = {
            "hparams": [{"name": one(fields(h), 1, text), "type": one(fields(h), 4, int, 0)} for h in exp.get(4, [])],
            "metrics": [one(one(fields(m), 1, fields), 2, text) for m in exp.get(5, [])],
        }
    if 3 in data:
        start = fields(data[3][-1])
        out["session_start"] = {one(fields(e), 1, text): proto_value(one(fields(e), 2, bytes)) for e in start.get(1, [])}
    if 4 in data:
        out["session_end"] = {"status": one(fields(data[4][-1]), 1, int, 0)}
    return out


def summary_value(raw):
    value = fields(raw)
    out = {"tag": one(value, 1, text, "")}
    name, content = plugin(value)
    if name:
        out["plugin"] = name
    if 2 in value:
        out["simple_value"] = f32(value[2][-1])
    if 4 in value:
        image = fields(value[4][-1])
        png = one(image, 4, bytes, b"")
        h, w, c = one(image, 1, int, 0), one(image, 2, int, 0), one(image, 3, int, 0)
        check((w, h, c) == png_size(png), "image %s: header %s vs PNG %s" % (out["tag"], (w, h, c), png_size(png)))
        out["image"] = {"height": h, "width": w, "colorspace": c, "png_bytes": len(png)}
    if 5 in value:
        histo = fields(value[5][-1])
        h = {k: one(histo, n, f64, 0.0) for n, k in enumerate(["min", "max", "num", "sum", "sum_squares"], 1)}
        h["bucket_limit"] = packed_doubles(histo, 6)
        h["bucket"] = packed_doubles(histo, 7)
        check(len(h["bucket_limit"]) == len(h["bucket"]), "histogram %s: limits and counts differ in length" % out["tag"])
        check(sum(h["bucket"]) == h["num"], "histogram %s: counts add up to %s, not num %s"
              % (out["tag"], sum(h["bucket"]), h["num"]))
        out["histo"] = h
    if 8 in value:
        tensor = fields(value[8][-1])
        dims = [one(fields(d), 1, int, 0) for d in one(tensor, 2, fields, {}).get(2, [])]
        out["tensor"] = {"dtype": one(tensor, 1, int, 0), "shape": dims,
                         "string_val": [text(s) for s in tensor.get(8, [])]}
        if name == "text":
            check(out["tensor"]["dtype"] == 7 and dims == [1] and len(out["tensor"]["string_val"]) == 1,
                  "text %s is not a one-element string tensor" % out["tag"])
    if name == "hparams":
        out["hparams"] = hparams(content)
    return out


def event(raw):
    msg = fields(raw)
    out = {"wall_time": one(msg, 1, f64, 0.0), "step": one(msg, 2, int, 0)}
    if out["step"] >= 1 << 63:
        out["step"] -= 1 << 64
    if 3 in msg:
        out["file_version"] = one(msg, 3, text)
    if 5 in msg:
        out["summary"] = [summary_value(v) for v in fields(msg[5][-1]).get(1, [])]
    return out


def read(path):
    events = [event(r) for r in records(path)]
    check(events and events[0].get("file_version") == "brain.Event:2",
          "%s: the first event is not file_version brain.Event:2" % path)
    return events


def main(argv):
    paths = []
    for a in argv:
        if os.path.isdir(a):
            for root, _, names in os.walk(a):
                paths += [os.path.join(root, n) for n in sorted(names) if "tfevents" in n]
        else:
            paths.append(a)
    if not paths:
        print("no event files in %s" % argv, file=sys.stderr)
        return 1
    total = 0
    for p in sorted(paths):
        try:
            events = read(p)
        except (ValueError, KeyError, IndexError, struct.error, zlib.error) as e:
            print("FAULT %s: %s" % (p, e), file=sys.stderr)
            return 1
        for e in events:
            print(json.dumps({"file": p, **e}, sort_keys=True))
        total += len(events)
    print("%d files, %d events, all records whole and their CRCs right" % (len(paths), total), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
