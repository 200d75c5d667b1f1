#!/usr/bin/env python3
"""Draws the tray icons (resources/tray/*.png): a phone-status dot per state, anti-aliased, at 1x and 2x.
Run again after changing a colour; the PNGs are committed so the app needs no build step for them."""
import math, struct, zlib, pathlib

STATES = {
    'ready': (22, 163, 74),      # green: registered, nothing waiting
    'ringing': (245, 158, 11),   # amber: a call is ringing
    'in-call': (37, 99, 235),    # blue: on a call
    'offline': (148, 163, 184),  # grey: not receiving calls
    'unread': (14, 116, 144),    # teal with a white badge: unread alerts
}

def png(size, pixels):
    raw = b''.join(b'\x00' + bytes(row) for row in pixels)
    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', size, size, 8, 6, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')

def draw(size, rgb, badge):
    c = (size - 1) / 2
    r = size * 0.42
    rows = []
    for y in range(size):
        row = []
        for x in range(size):
            d = math.hypot(x - c, y - c)
            a = max(0.0, min(1.0, r - d + 0.5))
            col = rgb
            if badge:
                bx, by, br = size * 0.72, size * 0.28, size * 0.2
                bd = math.hypot(x - bx, y - by)
                ba = max(0.0, min(1.0, br - bd + 0.5))
                if ba > 0:
                    col = tuple(int(v * (1 - ba) + 255 * ba) for v in rgb)
                    a = max(a, ba)
            row += [*col, int(a * 255)]
        rows.append(row)
    return png(size, rows)

out = pathlib.Path(__file__).resolve().parent.parent / 'resources' / 'tray'
out.mkdir(parents=True, exist_ok=True)
for name, rgb in STATES.items():
    (out / f'{name}.png').write_bytes(draw(16, rgb, name == 'unread'))
    (out / f'{name}@2x.png').write_bytes(draw(32, rgb, name == 'unread'))
print('wrote', sorted(p.name for p in out.glob('*.png')))
