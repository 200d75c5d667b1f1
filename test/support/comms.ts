import { hashPassword } from '../../src/cloud/auth/passwords';
import { newId } from '../../src/cloud/ids';
import { fastArgon, type TestCloud } from './cloud-harness';

/** Test support for the communication actions and their settings (templates, media, Slack…). */

/**
 * A second practice with its own admin, signed in: every id of the first account must be
 * invisible to it (404), and its own ids to the first account's users.
 */
export async function otherPracticeAdmin(t: TestCloud): Promise<{ accountId: string; userId: string; token: string }> {
  const accountId = newId('acc');
  const userId = newId('usr');
  const email = `${userId}@other-spa.example`;
  await t.cloud.db.query(`INSERT INTO accounts (id, name) VALUES ($1, 'Other Spa')`, [accountId]);
  await t.cloud.db.query(`INSERT INTO users (id, account_id, email, name, role, password_hash) VALUES ($1, $2, $3, 'Other Admin', 'admin', $4)`, [
    userId, accountId, email, await hashPassword('other-spa-password', fastArgon),
  ]);
  const res = await t.api(undefined, 'POST', '/v1/auth/login', { email, password: 'other-spa-password', deviceName: 'test' });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { accountId, userId, token: res.body.accessToken };
}

/** Uploads raw bytes to the media library. */
export async function upload(t: TestCloud, token: string, name: string, bytes: Buffer, contentType = 'application/octet-stream') {
  const response = await fetch(`${t.cloud.url}/v1/media?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
    body: bytes,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
