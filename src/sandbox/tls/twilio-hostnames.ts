// Every hostname a Twilio client reaches by default, so one host-resolver rule set (and one
// certificate) sends an unmodified client to the sandbox: the Voice SDK's signaling edges (current
// `voice-js.<edge>` names and the `chunderw-vpc-gll[-<region>]` names that 2.x releases before the
// edge rework still use), the Insights event gateways, the sound host and the REST API.

/** Edges of Voice SDK 2.x (`voice-js.<edge>.twilio.com`); `roaming` is the default. */
export const SIGNALING_EDGES = [
  'roaming', 'ashburn', 'dublin', 'frankfurt', 'sao-paulo', 'singapore', 'sydney', 'tokyo', 'umatilla',
  'ashburn-ix', 'san-jose-ix', 'london-ix', 'frankfurt-ix', 'singapore-ix', 'sydney-ix', 'tokyo-ix',
] as const;

/** Regions of early 2.x releases (`chunderw-vpc-gll-<region>.twilio.com`; no region = `chunderw-vpc-gll`). */
export const LEGACY_REGIONS = [
  'au1', 'au1-ix', 'br1', 'de1', 'de1-ix', 'ie1', 'ie1-ix', 'ie1-tnx', 'jp1', 'jp1-ix',
  'sg1', 'sg1-ix', 'sg1-tnx', 'us1', 'us1-ix', 'us1-tnx', 'us2', 'us2-ix', 'us2-tnx',
] as const;

/** The home region the edge reports in `connected`; the SDK then posts Insights to eventgw.<home>.twilio.com. */
export const HOME_REGION = 'us1';

const EDGE_OF_REGION: Record<string, string> = {
  au1: 'sydney', br1: 'sao-paulo', ie1: 'dublin', de1: 'frankfurt', jp1: 'tokyo', sg1: 'singapore', us1: 'ashburn', us2: 'umatilla',
  'us1-ix': 'ashburn-ix', 'us2-ix': 'san-jose-ix', 'ie1-ix': 'london-ix', 'de1-ix': 'frankfurt-ix', 'sg1-ix': 'singapore-ix',
  'au1-ix': 'sydney-ix', 'jp1-ix': 'tokyo-ix', 'us1-tnx': 'ashburn-ix', 'us2-tnx': 'ashburn-ix', 'ie1-tnx': 'london-ix', 'sg1-tnx': 'singapore-ix',
};

export const SOUNDS_HOST = 'sdk.twilio.com';
export const REST_HOST = 'api.twilio.com';

export const SIGNALING_HOSTS: readonly string[] = [
  ...SIGNALING_EDGES.map((e) => `voice-js.${e}.twilio.com`),
  'chunderw-vpc-gll.twilio.com',
  ...LEGACY_REGIONS.map((r) => `chunderw-vpc-gll-${r}.twilio.com`),
];

export const EVENT_GATEWAY_HOSTS: readonly string[] = ['eventgw.twilio.com', ...LEGACY_REGIONS.map((r) => `eventgw.${r}.twilio.com`)];

export const TWILIO_HOSTNAMES: readonly string[] = [...SIGNALING_HOSTS, ...EVENT_GATEWAY_HOSTS, SOUNDS_HOST, REST_HOST];

/** Chromium's `--host-resolver-rules` value mapping every Twilio hostname to `target` (host:port). */
export function hostResolverRules(target: string): string {
  return TWILIO_HOSTNAMES.map((h) => `MAP ${h} ${target}`).join(',');
}

/**
 * The edge a Device reached, from the Host it asked for: what Twilio reports as `edge` in
 * `connected` (a roaming client lands on a real edge, here Ashburn).
 */
export function edgeOfHost(host: string | undefined): string {
  const name = (host ?? '').split(':')[0]?.toLowerCase() ?? '';
  const edge = /^voice-js\.([a-z0-9-]+)\.twilio\.com$/.exec(name)?.[1];
  if (edge && edge !== 'roaming') return edge;
  const region = /^chunderw-vpc-gll-([a-z0-9-]+)\.twilio\.com$/.exec(name)?.[1];
  if (region) return EDGE_OF_REGION[region] ?? 'ashburn';
  return 'ashburn';
}
