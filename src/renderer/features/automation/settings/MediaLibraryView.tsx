import { useCallback, useEffect, useState } from 'react';
import type { MediaFile, MediaUsage } from '../../../../shared/cloud/media';
import { ErrorAlert } from '../../../ui/ErrorAlert';
import { ConfirmDialog } from './ConfirmDialog';
import { getBridge } from '../../../bridge';
import { MediaUploader } from './MediaUploader';
import { TableScroll } from '../../../ui/TableScroll';

const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`);
const kindLabel = { audio: 'Recording', image: 'Image', document: 'Document' } as const;

function DeleteMediaDialog(props: { file: MediaFile; onClose: (deleted: boolean) => void }) {
  const remove = async () => {
    const result = await getBridge().media.delete({ mediaId: props.file.id });
    return result.ok ? null : result.error.message;
  };
  return (
    <ConfirmDialog title={`Delete ${props.file.name}?`} confirmLabel="Delete file" onConfirm={remove} onClose={props.onClose}>
      <p>Its link stops working at once: emails and voicemail drops that still use it will go without it.</p>
    </ConfirmDialog>
  );
}

/** Automation → Media library: the files Send Email attaches and Voicemail Drop plays. */
export function MediaLibraryView() {
  const [files, setFiles] = useState<MediaFile[] | null>(null);
  const [usage, setUsage] = useState<MediaUsage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [deleting, setDeleting] = useState<MediaFile | null>(null);

  const load = useCallback(async () => {
    const [list, used] = await Promise.all([getBridge().media.list({}), getBridge().media.usage()]);
    if (list.ok) setFiles(list.value);
    if (used.ok) setUsage(used.value);
    setError(!list.ok ? list.error.message : !used.ok ? used.error.message : null);
  }, []);
  useEffect(() => void load(), [load]);

  return (
    <section className="ws-page" aria-labelledby="ws-media-title">
      <h2 id="ws-media-title">Media library</h2>
      <p className="muted">
        Files uploaded once and picked in workflow steps: attachments for Send Email, recordings for Voicemail Drop.
        {usage ? ` ${size(usage.usedBytes)} of ${size(usage.limitBytes)} used.` : ''}
      </p>
      <ErrorAlert message={error} />
      <p className="automation-message" role="status" aria-live="polite">
        {status}
      </p>
      <MediaUploader onUploaded={() => void load()} />
      {files === null ? (
        error ? null : <p>Loading the media library…</p>
      ) : files.length === 0 ? (
        <p>No files yet.</p>
      ) : (
        <TableScroll label="Media files">
          <table className="automation-table">
            <caption className="sr-only">Media files</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Size</th>
                <th scope="col">Notes</th>
                <th scope="col">Added</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr key={f.id}>
                  <th scope="row">{f.name}</th>
                  <td>{kindLabel[f.kind]}</td>
                  <td>{size(f.sizeBytes)}</td>
                  <td>
                    {f.durationMs !== null ? `${(f.durationMs / 1000).toFixed(1)} s${f.bitrateKbps ? `, ${f.bitrateKbps} kbps` : ''}` : ''}
                    {f.warning ? <span className="field-warning"> {f.warning}</span> : null}
                  </td>
                  <td>{new Date(f.createdAt).toLocaleString()}</td>
                  <td>
                    <button type="button" aria-label={`Delete ${f.name}`} onClick={() => setDeleting(f)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {deleting ? (
        <DeleteMediaDialog
          file={deleting}
          onClose={(deleted) => {
            const name = deleting.name;
            setDeleting(null);
            if (deleted) {
              setStatus(`Deleted ${name}.`);
              void load();
            }
          }}
        />
      ) : null}
    </section>
  );
}
