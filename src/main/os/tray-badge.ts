/**
 * The open-task badge drawn onto a tray icon's bitmap: a red dot with a white ring in the top-right
 * corner (Windows and Linux trays show no text beside the icon, and Electron has no tray overlay).
 * Pure: BGRA in (nativeImage.toBitmap()), a new BGRA buffer out (nativeImage.createFromBitmap()).
 */
export function withBadgeDot(bgra: Buffer, width: number, height: number): Buffer {
  if (bgra.length !== width * height * 4) throw new Error(`A ${width}×${height} BGRA bitmap has ${width * height * 4} bytes, not ${bgra.length}`);
  const out = Buffer.from(bgra);
  const r = Math.max(2, Math.round(Math.min(width, height) * 0.22));
  const cx = width - r - 0.5;
  const cy = r - 0.5;
  for (let y = 0; y < Math.min(height, 2 * r + 1); y++) {
    for (let x = Math.max(0, width - 2 * r - 1); x < width; x++) {
      const d = Math.hypot(x - cx, y - cy);
      if (d > r) continue;
      const i = (y * width + x) * 4;
      // BGRA: the ring white, the dot red (#d92d20), both opaque.
      const ring = d > r - Math.max(1, r / 4);
      out[i] = ring ? 255 : 0x20;
      out[i + 1] = ring ? 255 : 0x2d;
      out[i + 2] = ring ? 255 : 0xd9;
      out[i + 3] = 255;
    }
  }
  return out;
}
