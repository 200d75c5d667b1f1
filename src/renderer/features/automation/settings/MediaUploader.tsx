import { useId, useState, type DragEvent } from 'react';
import { MEDIA_MAX_FILE_BYTES, type MediaFile, type MediaKind } from '../../../../shared/cloud/media';
import { acceptFor, MEDIA_TYPES_SAID, uploadToLibrary } from './media-upload';

/**
 * Adds a file to the media library: a file input (keyboard: Tab to it, Enter or Space opens the
 * system picker) inside a zone a file can also be dropped on. Progress and the outcome are announced;
 * `onUploaded` runs only for a file the cloud saved.
 */
export function MediaUploader(props: { kind?: MediaKind; label?: string; onUploaded: (file: MediaFile) => void }) {
  const inputId = useId();
  const hintId = useId();
  const [busy, setBusy] = useState<{ name: string; percent: number } | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [over, setOver] = useState(false);

  const send = async (file: File | undefined) => {
    if (!file || busy) return;
    setError(null);
    setStatus(`Uploading ${file.name}…`);
    setBusy({ name: file.name, percent: 0 });
    const outcome = await uploadToLibrary(file, (f) => setBusy({ name: file.name, percent: Math.round(f * 100) }), props.kind);
    setBusy(null);
    if (outcome.ok) {
      setStatus(`Uploaded ${outcome.file.name}.${outcome.file.warning ? ` ${outcome.file.warning}` : ''}`);
      props.onUploaded(outcome.file);
    } else {
      setStatus('');
      setError(outcome.message);
    }
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void send(event.dataTransfer.files[0]);
  };

  return (
    <div
      className={`media-drop${over ? ' media-drop-over' : ''}`}
      onDragOver={(e) => (e.preventDefault(), setOver(true))}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <label htmlFor={inputId}>{props.label ?? 'Upload a file'}</label>
      <input
        id={inputId} type="file" accept={acceptFor(props.kind)} disabled={Boolean(busy)} aria-describedby={hintId}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          void send(file);
        }}
      />
      <p id={hintId} className="muted">
        Or drop a file here. {props.kind === 'audio' ? 'MP3 or WAV (a 64 kbps MP3 plays best on a phone line)' : MEDIA_TYPES_SAID}; at most {MEDIA_MAX_FILE_BYTES / 1024 / 1024} MB.
      </p>
      {busy ? <progress max={100} value={busy.percent} aria-label={`Uploading ${busy.name}`} /> : null}
      <p className="automation-message" role="status" aria-live="polite">
        {status}
      </p>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
