import { useState } from 'react';
import { TextField } from './fields';
import { MediaPicker } from './settings/MediaPicker';

/** The action panels' attachment pieces, shared by Send Email / Send SMS / Manual SMS and Internal Notification. */

/**
 * Files for a text message, sent as links (SMS carries no files): a URL typed and added, or — with
 * `library` — a file chosen from (or uploaded to) the media library, whose public link is added.
 */
export function LinkAttachments(props: { urls: string[]; onChange: (urls: string[]) => void; errors: Record<string, string>; library?: boolean }) {
  const [url, setUrl] = useState('');
  const add = (link: string) => props.onChange([...props.urls.filter((u) => u !== link), link]);
  return (
    <div className="field">
      <TextField label="Attachment URL" value={url} onChange={setUrl} type="url" hint="SMS carries no files: the link is sent in the message." error={props.errors.attachmentUrls} />
      <button type="button" disabled={!url.trim()} onClick={() => (add(url.trim()), setUrl(''))}>
        + Add
      </button>
      {props.library ? <MediaPicker label="Or a file from the media library" pickLabel="Add its link" uploadLabel="Upload a file and add its link" onPick={(f) => add(f.url)} /> : null}
      <ul className="chips" aria-label="Attachments">
        {props.urls.map((u, i) => (
          <li key={`${u}-${i}`}>
            {u} {props.errors[`attachmentUrls.${i}`] ? <span className="field-error">{props.errors[`attachmentUrls.${i}`]}</span> : null}
            <button type="button" aria-label={`Remove ${u}`} onClick={() => props.onChange(props.urls.filter((_, j) => j !== i))}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

type EmailAttachment = { name: string; url: string };

/** Email attachments: files chosen from the media library or uploaded from the device (Add Attachments). */
export function LibraryAttachments(props: { attachments: EmailAttachment[]; onChange: (attachments: EmailAttachment[]) => void; errors: Record<string, string> }) {
  const { attachments } = props;
  return (
    <div className="field">
      <span>Attachments</span>
      <MediaPicker
        label="Attach from the media library" pickLabel="Attach" uploadLabel="Upload and attach a file"
        onPick={(f) => props.onChange([...attachments.filter((a) => a.url !== f.url), { name: f.name, url: f.url }])}
      />
      {props.errors.attachments ? <span className="field-error">{props.errors.attachments}</span> : null}
      <ul className="chips" aria-label="Attachments">
        {attachments.map((a, i) => (
          <li key={`${a.url}-${i}`}>
            {a.name} {props.errors[`attachments.${i}.url`] ? <span className="field-error">{props.errors[`attachments.${i}.url`]}</span> : null}
            <button type="button" aria-label={`Remove ${a.name}`} onClick={() => props.onChange(attachments.filter((_, j) => j !== i))}>
              ✕
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
