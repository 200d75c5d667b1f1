import * as m0010 from './0010-initial-schema';
import * as m0020 from './0020-two-factor';
import * as m0030 from './0030-security';
import * as m0040 from './0040-twofa-hold';
import * as m0100 from './0100-domain-events';
import * as m0110 from './0110-workflows';
import * as m0120 from './0120-appointments';
import * as m0130 from './0130-contact-custom-fields';
import * as m0140 from './0140-run-step-order';
import * as m0200 from './0200-tasks';
import * as m0210 from './0210-task-work';
import * as m0220 from './0220-task-texts';
import * as m0300 from './0300-number-lifecycle';
import * as m0310 from './0310-number-requests';
import * as m0400 from './0400-reporting';
import * as m0410 from './0410-team-leads';
import * as m0500 from './0500-ai-agents';
import * as m0600 from './0600-workflow-settings';
import * as m0610 from './0610-outbound-messages';
import * as m0620 from './0620-notification-rate';
import * as m0630 from './0630-voicemail-drops';
import * as m0700 from './0700-refresh-grace';
import * as m0710 from './0710-contact-dnd-repair';
import * as m0720 from './0720-number-webhooks-set';
import * as m0730 from './0730-synced-step-text';
import * as m0740 from './0740-number-purchase-intents';
import * as m0750 from './0750-number-held-member';
import * as m0760 from './0760-trigger-links';
import * as m0770 from './0770-sending-domains';
import * as m0780 from './0780-number-purchase-checks';
import * as m0800 from './0800-inbound-email';
import * as m0810 from './0810-inbound-email-settings';
import * as m0840 from './0840-number-purchases-landed-late';
import * as m0860 from './0860-sending-domains-dmarc';
import * as m0870 from './0870-sign-in-housekeeping';

/**
 * Numbered migrations, applied in order, each once. Versions step by 10 so a fix can slot in.
 * They are TypeScript modules holding SQL (not .sql files) so that bundlers (electron-vite for the
 * desktop's embedded cloud) carry them without file-system lookups.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  { version: 10, ...m0010 },
  { version: 20, ...m0020 },
  { version: 30, ...m0030 },
  { version: 40, ...m0040 },
  { version: 100, ...m0100 },
  { version: 110, ...m0110 },
  { version: 120, ...m0120 },
  { version: 130, ...m0130 },
  { version: 140, ...m0140 },
  { version: 200, ...m0200 },
  { version: 210, ...m0210 },
  { version: 220, ...m0220 },
  { version: 300, ...m0300 },
  { version: 310, ...m0310 },
  { version: 400, ...m0400 },
  { version: 410, ...m0410 },
  { version: 500, ...m0500 },
  { version: 600, ...m0600 },
  { version: 610, ...m0610 },
  { version: 620, ...m0620 },
  { version: 630, ...m0630 },
  { version: 700, ...m0700 },
  { version: 710, ...m0710 },
  { version: 720, ...m0720 },
  { version: 730, ...m0730 },
  { version: 740, ...m0740 },
  { version: 750, ...m0750 },
  { version: 760, ...m0760 },
  { version: 770, ...m0770 },
  { version: 780, ...m0780 },
  { version: 800, ...m0800 },
  { version: 810, ...m0810 },
  { version: 840, ...m0840 },
  { version: 860, ...m0860 },
  { version: 870, ...m0870 },
];
