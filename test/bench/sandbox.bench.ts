// Sandbox benchmark (prints figures; not a timed test): `npx tsx test/bench/sandbox.bench.ts`.
//  1. 50 sequential incoming calls to a real SDK Device in Chromium:
//     sandbox `invite` sent → SDK `incoming` event, and accept() → browser ICE connected (p50/p95).
//  2. 20 concurrent calls through one sandbox, checking two-way audio on every one.
import { startSandbox } from '../../src/sandbox/index';
import { SdkBrowser, type HarnessEvent } from '../../src/sandbox/testing/sdk-browser';
import { WebhookApp } from '../../src/sandbox/testing/webhook-app';
import { percentile } from './support/stats';

const SEQUENTIAL = 50;
const CONCURRENT = 20;


const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

async function main(): Promise<void> {
  const sandbox = await startSandbox();
  const hooks = await WebhookApp.start(sandbox.authToken);
  const browser = await SdkBrowser.launch();
  try {
    // Number +1500555100N dials client benchN.
    hooks.route('/voice', (hit) => `<Response><Dial><Client>bench${Number(hit.params.To!.slice(-2))}</Client></Dial></Response>`);
    for (let i = 0; i < CONCURRENT; i++) sandbox.control.addNumber({ phoneNumber: `+150055510${String(i).padStart(2, '0')}`, voiceUrl: hooks.url('/voice') });
    for (let i = 0; i < CONCURRENT; i++) await browser.createDevice(`bench${i}`, sandbox.createAccessToken(`bench${i}`), sandbox.edgeHost);
    const registerTimes: number[] = [];
    for (let i = 0; i < CONCURRENT; i++) {
      const t0 = performance.now();
      await browser.registerDevice(`bench${i}`);
      registerTimes.push(performance.now() - t0);
    }

    // ---- 1. sequential latency ----
    const inviteToIncoming: number[] = [];
    const acceptToIce: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const mark = browser.events.length;
      const seq = sandbox.events.lastSeq;
      const inbound = sandbox.control.placeInboundCall({ from: `+1555123${String(1000 + i)}`, to: '+15005551000' });
      const incoming = await browser.waitFor((e) => e.type === 'device.incoming' && e.deviceId === 'bench0', { since: mark });
      const invite = await sandbox.events.waitFor((e) => e.type === 'signal.out' && e.message === 'invite' && e.callsid === incoming.callSid, { sinceSeq: seq });
      inviteToIncoming.push(incoming.at - invite.at);
      await browser.call('accept', incoming.callId);
      const accepting = await browser.waitFor((e) => e.type === 'call.accepting' && e.callId === incoming.callId, { since: mark });
      const ice = await browser.waitFor((e) => e.type === 'call.ice' && e.callId === incoming.callId && (e.state === 'connected' || e.state === 'completed'), { since: mark });
      acceptToIce.push(ice.at - accepting.at);
      sandbox.control.partyHangsUp(inbound);
      await browser.waitFor((e) => e.type === 'call.disconnect' && e.callId === incoming.callId, { since: mark });
    }

    // ---- 2. concurrent calls with two-way audio ----
    const mark = browser.events.length;
    const t0 = performance.now();
    const inbound = Array.from({ length: CONCURRENT }, (_, i) =>
      sandbox.control.placeInboundCall({ from: `+1555999${String(1000 + i)}`, to: `+150055510${String(i).padStart(2, '0')}` }),
    );
    const incomings: HarnessEvent[] = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => browser.waitFor((e) => e.type === 'device.incoming' && e.deviceId === `bench${i}`, { since: mark, timeoutMs: 30_000 })),
    );
    await Promise.all(incomings.map((inc) => browser.call('accept', inc.callId)));
    const results = await Promise.all(
      incomings.map(async (inc, i) => {
        const browserHeard = await browser.waitForInboundAudio(inc.callId!, 0.0005, 20_000).then(() => true, () => false);
        const callerHeard = await sandbox.control.waitForAudio(inbound[i]!, 'heard', 20_000).then(() => true, () => false);
        return browserHeard && callerHeard;
      }),
    );
    const allUpMs = performance.now() - t0;
    const twoWay = results.filter(Boolean).length;
    const packets = await Promise.all(incomings.map(async (inc) => (await browser.audioStats(inc.callId!))?.packetsReceived ?? 0));
    for (const sid of inbound) sandbox.control.partyHangsUp(sid);

    console.log(`Twilio sandbox benchmark (${new Date().toISOString()}, ${(await import('node:os')).cpus().length} cores, Chromium + @twilio/voice-sdk 2.18.5)`);
    console.log(`register() → registered      p50 ${fmt(percentile(registerTimes, 50))}  p95 ${fmt(percentile(registerTimes, 95))}  (n=${registerTimes.length})`);
    console.log(`invite → SDK incoming         p50 ${fmt(percentile(inviteToIncoming, 50))}  p95 ${fmt(percentile(inviteToIncoming, 95))}  max ${fmt(Math.max(...inviteToIncoming))}  (n=${SEQUENTIAL})`);
    console.log(`accept() → ICE connected      p50 ${fmt(percentile(acceptToIce, 50))}  p95 ${fmt(percentile(acceptToIce, 95))}  max ${fmt(Math.max(...acceptToIce))}  (n=${SEQUENTIAL})`);
    console.log(`${CONCURRENT} concurrent calls: two-way audio on ${twoWay}/${CONCURRENT}; all up with audio in ${fmt(allUpMs)}; browser RTP packets per call min ${Math.min(...packets)}`);
    console.log(`non-loopback requests from the browser: ${browser.nonLoopbackRequests.length}`);
    if (twoWay !== CONCURRENT) process.exitCode = 1;
  } finally {
    await browser.close();
    await hooks.close();
    await sandbox.stop();
  }
}

await main();
