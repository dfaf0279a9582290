import { nativeImage, type NativeImage } from 'electron';

/**
 * The tray icon is drawn in code (a filled circle, green while any device is online, grey
 * otherwise) so no binary asset has to ship or be kept in sync with the status colours.
 */
export function trayIcon(anyOnline: boolean, size = 32): NativeImage {
  const [r, g, b] = anyOnline ? [0x18, 0xa0, 0x58] : [0x80, 0x80, 0x80];
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 2 - 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const distance = Math.hypot(x - centre, y - centre);
      const alpha = Math.max(0, Math.min(1, radius + 0.5 - distance));
      const i = (y * size + x) * 4;
      // createFromBitmap expects BGRA
      pixels[i] = b;
      pixels[i + 1] = g;
      pixels[i + 2] = r;
      pixels[i + 3] = Math.round(alpha * 255);
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}
