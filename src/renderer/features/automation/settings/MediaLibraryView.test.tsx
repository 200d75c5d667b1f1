import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MediaFile } from '../../../../shared/cloud/media';
import { useSession } from '../../../state/session';
import { installFakeBridge } from '../../../testing/fake-bridge';
import { useAutomation } from '../automation-store';
import { AutomationView } from '../AutomationView';
import { MediaPicker } from './MediaPicker';

const fake = installFakeBridge();
const media = (over: Partial<MediaFile>): MediaFile => ({
  id: 'm1', accountId: 'acc', name: 'Welcome.mp3', contentType: 'audio/mpeg', kind: 'audio', sizeBytes: 48_000, sha256: 'x',
  url: 'http://127.0.0.1:9/media/tok/Welcome.mp3', durationMs: 6000, bitrateKbps: 64, warning: null, createdAt: '2026-11-01T10:00:00Z', createdBy: 'u1', ...over,
});

let files: MediaFile[];
let received: string;
let finishFails: boolean;
beforeEach(() => {
  fake.calls.length = 0;
  files = [media({})];
  received = '';
  finishFails = false;
  useSession.setState({ session: { status: 'signed-in', user: { id: 'u1', role: 'admin' } as never, sessionId: 's' } });
  useAutomation.setState({ page: 'media', open: null, error: null, message: null });
  fake.handlers['automation.list'] = () => ({ workflows: [], summaries: [] });
  fake.handlers['automation.options'] = () => ({ dispositions: [], users: [], teams: [], numbers: [], templates: [], slack: [] });
  fake.handlers['media.list'] = (input) => files.filter((f) => !(input as { kind?: string }).kind || f.kind === (input as { kind?: string }).kind);
  fake.handlers['media.usage'] = () => ({ usedBytes: 48_000, limitBytes: 500 * 1024 * 1024, maxFileBytes: 10 * 1024 * 1024 });
  fake.handlers['media.uploadStart'] = () => ({ uploadId: 'up_1234567890abcdef', chunkBytes: 4 });
  fake.handlers['media.uploadChunk'] = (input) => {
    received += atob((input as { data: string }).data);
    return { receivedBytes: received.length };
  };
  fake.handlers['media.uploadCancel'] = () => ({ cancelled: true });
  fake.handlers['media.uploadFinish'] = () => {
    if (finishFails) throw Object.assign(new Error('This file is not a type the library accepts'), { code: 'UNSUPPORTED_MEDIA_TYPE' });
    const file = media({ id: 'm2', name: 'prices.csv', kind: 'document', contentType: 'text/csv', sizeBytes: received.length, durationMs: null, bitrateKbps: null });
    files = [file, ...files];
    return file;
  };
  fake.handlers['media.delete'] = (input) => {
    files = files.filter((f) => f.id !== (input as { mediaId: string }).mediaId);
    return { deleted: true };
  };
});
afterEach(cleanup);

describe('Automation → Media library', { timeout: 30_000 }, () => {
  it('uploads a file in pieces by keyboard, lists it, and deletes one after asking', async () => {
    const user = userEvent.setup();
    render(<AutomationView />);
    expect(await screen.findByRole('rowheader', { name: 'Welcome.mp3' })).toBeTruthy();
    expect(screen.getByText(/KB of 500\.0 MB used/)).toBeTruthy();
    const input = screen.getByLabelText('Upload a file');
    await user.upload(input, new File(['service,price\n'], 'prices.csv', { type: 'text/csv' }));
    expect(await screen.findByRole('rowheader', { name: 'prices.csv' })).toBeTruthy();
    expect(received).toBe('service,price\n');
    expect(fake.callsTo('media.uploadChunk').map((c) => (c as { offset: number }).offset)).toEqual([0, 4, 8, 12]);
    expect(screen.getByText('Uploaded prices.csv.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Delete Welcome.mp3' }));
    await user.click(screen.getByRole('button', { name: 'Delete file' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: 'Welcome.mp3' })).toBeNull());
  });

  it('refuses too big, empty and unknown files before a byte crosses, and never lists a file the cloud refused', async () => {
    render(<AutomationView />);
    const input = await screen.findByLabelText('Upload a file');
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(10 * 1024 * 1024 + 1)], 'long.mp3')] } });
    expect(await screen.findByText('long.mp3 is 10.0 MB; a file may be at most 10.0 MB.')).toBeTruthy();
    fireEvent.drop(input.closest('.media-drop')!, { dataTransfer: { files: [new File(['MZ'], 'setup.exe')] } });
    expect(await screen.findByText(/setup\.exe is not a type the media library takes/)).toBeTruthy();
    fireEvent.change(input, { target: { files: [new File([], 'empty.pdf')] } });
    expect(await screen.findByText('empty.pdf is empty.')).toBeTruthy();
    expect(fake.callsTo('media.uploadStart')).toHaveLength(0);

    finishFails = true;
    fireEvent.drop(input.closest('.media-drop')!, { dataTransfer: { files: [new File(['<html>'], 'invoice.pdf')] } });
    expect(await screen.findByText('invoice.pdf was not saved: This file is not a type the library accepts')).toBeTruthy();
    expect(screen.queryByRole('rowheader', { name: 'invoice.pdf' })).toBeNull();
  });

  it('a step picks a library file of its kind, or uploads one and picks it at once', async () => {
    const user = userEvent.setup();
    files = [media({}), media({ id: 'm3', name: 'menu.pdf', kind: 'document' })];
    const onPick = vi.fn();
    render(<MediaPicker kind="audio" label="Recording from the media library" pickLabel="Use this recording" uploadLabel="Upload a recording" onPick={onPick} />);
    const select = await screen.findByLabelText('Recording from the media library');
    await waitFor(() => expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Choose a file', 'Welcome.mp3']));
    await user.selectOptions(select, 'm1');
    await user.click(screen.getByRole('button', { name: 'Use this recording' }));
    expect(onPick).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'm1' }));
    fireEvent.change(screen.getByLabelText('Upload a recording'), { target: { files: [new File(['x'], 'menu.pdf')] } });
    expect(await screen.findByText('menu.pdf is not a recording (MP3 or WAV).')).toBeTruthy();
    expect(onPick).toHaveBeenCalledTimes(1);
  });
});
