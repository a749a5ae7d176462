"""What a stored image file carries beside its pixels: it should be nothing at all.

Each format's container is walked segment by segment (JPEG markers, PNG chunks, WebP RIFF
chunks) and every segment that is not pixels or their bare description is named. The tests
and the walk of the public site use it to prove that every served file says nothing.
"""

import struct

# JPEG: APP0 (JFIF) says only the pixel density; APP1-APP15 (EXIF, XMP, ICC, IPTC, ...) and
# COM (comments) can hold any text.
JPEG_TEXT_MARKERS = {0xFE: "COM", **{0xE0 + n: f"APP{n}" for n in range(1, 16)}}
JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RSTn carry no length
PNG_PIXEL_CHUNKS = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"pHYs"}
WEBP_PIXEL_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def metadata_segments(data: bytes) -> list[str]:
    """The names of the segments in an image file that are not pixels ("APP2", "iCCP",
    "EXIF"), and "trailing bytes" for anything after the image's end."""
    if data.startswith(b"\xff\xd8"):
        return _jpeg(data)
    if data.startswith(PNG_SIGNATURE):
        return _png(data)
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    return ["unknown format"]


def _jpeg(data: bytes) -> list[str]:
    found, position = [], 2
    while position < len(data) - 1:
        if data[position] != 0xFF:
            position = _next_marker(data, position)
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
        elif marker == 0xD9:  # end of image
            return found + (["trailing bytes"] if data[position + 2 :].strip(b"\0") else [])
        elif marker in JPEG_STANDALONE:
            position += 2
        else:
            if marker in JPEG_TEXT_MARKERS:
                found.append(JPEG_TEXT_MARKERS[marker])
            (length,) = struct.unpack(">H", data[position + 2 : position + 4])
            position += 2 + length
    return found


def _next_marker(data: bytes, position: int) -> int:
    """Past entropy-coded scan data to the next marker (FF followed by neither 00 nor RSTn)."""
    while position < len(data) - 1:
        if data[position] == 0xFF and data[position + 1] not in (0x00, *range(0xD0, 0xD8)):
            return position
        position += 1
    return len(data)


def _png(data: bytes) -> list[str]:
    found, position = [], len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        position += 12 + length
        if kind not in PNG_PIXEL_CHUNKS:
            found.append(kind.decode("latin-1"))
        if kind == b"IEND":
            return found + (["trailing bytes"] if position < len(data) else [])
    return found


def _webp(data: bytes) -> list[str]:
    (size,) = struct.unpack("<I", data[4:8])
    found, position, end = [], 12, 8 + size
    while position + 8 <= min(end, len(data)):
        kind, length = struct.unpack("<4sI", data[position : position + 8])
        position += 8 + length + (length & 1)
        if kind not in WEBP_PIXEL_CHUNKS:
            found.append(kind.decode("latin-1").strip())
    return found + (["trailing bytes"] if len(data) > end else [])
