import { useCallback, useEffect, useState } from 'react';
import type { MediaFile, MediaKind } from '../../../../shared/cloud/media';
import { getBridge } from '../../../bridge';
import { SelectField } from '../fields';
import { MediaUploader } from './MediaUploader';

/**
 * Chooses a file from the media library for a step (an email attachment, a voicemail recording), or
 * uploads a new one and chooses it at once. Lists only the kind the step can use.
 */
export function MediaPicker(props: { kind?: MediaKind; label: string; pickLabel: string; uploadLabel: string; onPick: (file: MediaFile) => void }) {
  const [files, setFiles] = useState<MediaFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState('');
  const { kind, onPick } = props;

  const load = useCallback(async () => {
    const result = await getBridge().media.list(kind ? { kind } : {});
    if (result.ok) {
      setFiles(result.value);
      setError(null);
    } else setError(result.error.message);
  }, [kind]);
  useEffect(() => void load(), [load]);

  const options = [{ value: '', label: files === null ? 'Loading…' : files.length ? 'Choose a file' : 'No files yet: upload one' }, ...(files ?? []).map((f) => ({ value: f.id, label: f.name }))];
  const pick = () => {
    const file = files?.find((f) => f.id === chosen);
    if (file) onPick(file);
    setChosen('');
  };
  return (
    <div className="media-picker">
      <div className="automation-row">
        <SelectField label={props.label} value={chosen} options={options} onChange={setChosen} />
        <button type="button" disabled={!chosen} onClick={pick}>
          {props.pickLabel}
        </button>
      </div>
      {error ? <p className="field-warning">{error}</p> : null}
      <MediaUploader
        kind={kind} label={props.uploadLabel}
        onUploaded={(file) => {
          onPick(file);
          void load();
        }}
      />
    </div>
  );
}
