import { MEDIA_TYPES, type MediaContentType } from '../../shared/cloud/media';
import { probeMp3, probeWav, type AudioProbe } from './audio-probe';

export interface SniffedFile {
  contentType: MediaContentType;
  audio: AudioProbe | null;
}

const startsWith = (bytes: Buffer, signature: number[], offset = 0): boolean => signature.every((b, i) => bytes[offset + i] === b);
const ascii = (bytes: Buffer, start: number, end: number): string => bytes.subarray(start, end).toString('latin1');

/**
 * The type of an uploaded file, decided from its bytes (the name only picks between text and CSV,
 * which have no signature). null: not a type the library accepts — HTML, SVG, archives and
 * executables among them, whatever they are called.
 */
export function sniffMedia(bytes: Buffer, fileName: string): SniffedFile | null {
  if (bytes.length === 0) return null;
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { contentType: 'image/png', audio: null };
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { contentType: 'image/jpeg', audio: null };
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return { contentType: 'image/gif', audio: null };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { contentType: 'image/webp', audio: null };
  if (ascii(bytes, 0, 5) === '%PDF-') return { contentType: 'application/pdf', audio: null };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WAVE') {
    const audio = probeWav(bytes);
    return audio ? { contentType: 'audio/wav', audio } : null;
  }
  const mp3 = probeMp3(bytes);
  if (mp3) return { contentType: 'audio/mpeg', audio: mp3 };
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  if ((extension === 'txt' || extension === 'csv') && isPlainText(bytes)) return { contentType: extension === 'csv' ? 'text/csv' : 'text/plain', audio: null };
  return null;
}

/** UTF-8 without NUL bytes. */
function isPlainText(bytes: Buffer): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The name a file is stored and served under: no paths, no control characters, the detected type's extension. */
export function cleanFileName(name: string, contentType: MediaContentType): string {
  // eslint-disable-next-line no-control-regex
  let clean = name.replace(/[\t\n\r]/g, ' ').replace(/[\u0000-\u001f\u007f/\\]/g, '').replace(/\s+/g, ' ').trim();
  const extensions: readonly string[] = MEDIA_TYPES[contentType].extensions;
  const extension = clean.toLowerCase().split('.').pop() ?? '';
  if (!clean.includes('.') || !extensions.includes(extension)) clean = `${clean || 'file'}.${extensions[0]}`;
  if (clean.length > 200) clean = clean.slice(clean.length - 200);
  return clean;
}
