// `npm start` where the Electron binary cannot be obtained: the same app (the browser host: every
// main-process service under Node, the embedded demo practice by default) in a Chromium app window.
//
// The URL to open carries the bridge secret. It never goes on a command line (other users can read
// those in `ps`): Chromium opens a 0600 file in the user-data folder that forwards to it, and the URL
// is printed only to an interactive terminal (the host itself writes it to a 0600 file).
import { spawn } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { connect } from 'node:tls';
import { delimiter, join } from 'node:path';

/** Where the browser host keeps its data unless AESTHETIX_USER_DATA_DIR says otherwise (src/main/hosts/browser/user-data-dir.ts). */
export function browserUserDataDir(env = process.env) {
  return env.AESTHETIX_USER_DATA_DIR || join(homedir(), '.config', 'aesthetix-softphone-browser');
}

const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge'];
const FIXED_PATHS = {
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: ['Google/Chrome/Application/chrome.exe', 'Chromium/Application/chrome.exe', 'Microsoft/Edge/Application/msedge.exe'],
};

/**
 * The installed Chromium (or Chrome / Edge, which take the same flags): CHROMIUM_PATH first, then
 * the usual names on PATH, then the usual install places. Undefined when there is none.
 */
export function findChromium({ env = process.env, platform = process.platform, exists = existsSync } = {}) {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  const exe = platform === 'win32' ? '.exe' : '';
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      const candidate = join(dir, name + exe);
      if (exists(candidate)) return candidate;
    }
  }
  const roots = platform === 'win32' ? [env.PROGRAMFILES, env['PROGRAMFILES(X86)'], env.LOCALAPPDATA].filter(Boolean) : [''];
  for (const root of roots) {
    for (const path of FIXED_PATHS[platform] ?? []) {
      const candidate = root ? join(root, path) : path;
      if (exists(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * The flags of the softphone's app window: its own profile (never the user's everyday one: a
 * Chromium already running with that profile would ignore every flag), no first-run or sync noise,
 * the ringer may play without a click, media may flow to the sandbox on loopback, and the sandbox's
 * certificate is trusted by its public key only (Chromium honours that with a --user-data-dir only).
 */
export function chromiumAppArgs({ startPage, profileDir, sandboxSpki }) {
  return [
    `--app=${startPage}`,
    `--user-data-dir=${profileDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-default-apps',
    '--disable-sync',
    '--disable-component-update',
    '--autoplay-policy=no-user-gesture-required',
    '--allow-loopback-in-peer-connection',
    ...(sandboxSpki ? [`--ignore-certificate-errors-spki-list=${sandboxSpki}`] : []),
  ];
}

/** The one line that says why this is not the Electron shell. */
export const fallbackLine = (reason) =>
  `Electron is not available on this machine (${reason}): opening the same softphone in a Chromium app window instead.`;

/** Writes `content` readable by its owner only, through a fresh O_EXCL file (never a planted link). */
function writePrivateFile(file, content) {
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** A page that forwards to the URL without showing it (the fragment with the secret stays in the browser). */
const forwardingPage = (url) =>
  `<!doctype html><meta charset="utf-8"><title>Aesthetix Softphone</title><meta name="referrer" content="no-referrer">` +
  `<script>location.replace(${JSON.stringify(url).replace(/</g, '\\u003c')})</script>`;

/** base64 SHA-256 of the public key the sandbox's TLS server presents, checked against its own CA first. */
async function sandboxSpkiHash(edgeHost, caPem) {
  const [host, port] = [edgeHost.slice(0, edgeHost.lastIndexOf(':')), Number(edgeHost.slice(edgeHost.lastIndexOf(':') + 1))];
  const der = await new Promise((resolve, reject) => {
    const socket = connect({ host, port, ca: caPem, servername: host === '127.0.0.1' ? undefined : host, timeout: 10_000 }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolve(raw);
    });
    socket.once('error', reject);
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
  });
  const spki = new X509Certificate(der).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

const URL_FILE_LINE = /BROWSER_HOST_URL_FILE=(\S+)/;
const EMBEDDED_LINE = /Twilio sandbox (\S+)/;

/**
 * Runs the browser host (out/main/browser-host.js must be built), then opens it in Chromium, or
 * says where to open it. Ends with the host; closing the app window stops the host.
 */
export function launchInChromium({ root, reason, env = process.env, interactive = Boolean(process.stdout.isTTY) }) {
  console.log(fallbackLine(reason));
  const userDataDir = browserUserDataDir(env);
  mkdirSync(userDataDir, { recursive: true, mode: 0o700 });
  // Piped, not a terminal: the host prints where its URL file is, never the URL itself.
  const host = spawn(process.execPath, [join(root, 'out/main/browser-host.js')], {
    cwd: root,
    env: { ...env, AESTHETIX_USER_DATA_DIR: userDataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const startPage = join(userDataDir, 'open-softphone.html');
  let output = '';
  let browser;
  let opened = false;
  const stop = (signal) => {
    browser?.kill(signal);
    host.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(signal));
  host.on('exit', (code) => {
    rmSync(startPage, { force: true });
    browser?.kill('SIGTERM');
    process.exit(code ?? 0);
  });
  host.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    output += chunk.toString();
    const match = URL_FILE_LINE.exec(output);
    if (!match || opened) return;
    opened = true;
    void open(readFileSync(match[1], 'utf8').trim(), match[1]).catch((error) => {
      console.error(`Could not open Chromium (${error.message}).`);
      printWhereToOpen(readFileSync(match[1], 'utf8').trim(), match[1]);
    });
  });

  function printWhereToOpen(url, urlFile) {
    if (interactive) console.log(`Open this URL in Chromium or Chrome: ${url}`);
    else console.log(`Open the URL in ${urlFile} (readable by you only) in Chromium or Chrome.`);
  }

  async function open(url, urlFile) {
    const executable = findChromium({ env });
    if (!executable) {
      console.log('No Chromium or Google Chrome found on this machine (install Debian\'s chromium, or set CHROMIUM_PATH).');
      printWhereToOpen(url, urlFile);
      return;
    }
    const embedded = EMBEDDED_LINE.exec(output);
    let sandboxSpki;
    if (embedded) {
      const { caPem } = JSON.parse(readFileSync(join(userDataDir, 'embedded', 'sandbox.json'), 'utf8'));
      sandboxSpki = await sandboxSpkiHash(embedded[1], caPem);
    }
    writePrivateFile(startPage, forwardingPage(url));
    const profileDir = join(userDataDir, 'chromium-app-profile');
    mkdirSync(profileDir, { recursive: true, mode: 0o700 });
    const startedAt = Date.now();
    browser = spawn(executable, chromiumAppArgs({ startPage: `file://${startPage}`, profileDir, sandboxSpki }), { stdio: 'ignore' });
    browser.on('error', (error) => {
      console.error(`Could not start ${executable} (${error.message}).`);
      printWhereToOpen(url, urlFile);
    });
    browser.on('exit', () => {
      // A quick exit means the window went to a Chromium already running with this profile.
      if (Date.now() - startedAt < 5_000) return void console.log('The window opened in a Chromium that was already running; Ctrl+C stops the softphone.');
      console.log('The softphone window was closed: stopping.');
      host.kill('SIGTERM');
    });
    console.log(`Opened in ${executable} (profile ${profileDir}). Ctrl+C here stops the softphone.`);
  }
}
