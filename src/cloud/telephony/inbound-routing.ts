import type { CallerContact, NumberRoute } from './routing-cache';

/**
 * Who an inbound call rings, pure: the number's settings and the caller's contact decide, in this
 * order (the source system's: the number's assignment first, then ring all — first to answer wins —
 * then the fallback):
 *
 * 1. the caller's contact has inbound-call DND → refused without ringing anyone (`blocked`);
 * 2. the number forwards → dialled out to the forwarding number, no softphone rings;
 * 3. the number is a member's Inbound Number (My Staff) → that member ("all incoming calls to that
 *    number go to that person");
 * 4. the number routes callers to their assigned user (`assigned_member`) and the caller's contact
 *    has one (the contact record's assigned user) → that user;
 * 5. ring all → the number's Ring All members, else every live user of its location (or account),
 *    all at once;
 * 6. nobody → voicemail.
 */
export type InboundDecision =
  | { kind: 'blocked' }
  | { kind: 'forward'; to: string }
  | { kind: 'ring'; userIds: string[]; reason: RingReason }
  | { kind: 'voicemail' };

export type RingReason = 'inbound-number' | 'contact-owner' | 'ring-all' | 'location';

export function whoRings(number: NumberRoute, contact: CallerContact | null): InboundDecision {
  if (contact?.dnd?.call?.inbound === true) return { kind: 'blocked' };
  if (number.forwardingNumber) return { kind: 'forward', to: number.forwardingNumber };
  if (number.assignedUserId) return { kind: 'ring', userIds: [number.assignedUserId], reason: 'inbound-number' };
  if (number.inboundRouting === 'assigned_member' && contact?.assignedUserId) return { kind: 'ring', userIds: [contact.assignedUserId], reason: 'contact-owner' };
  if (number.ringAllUserIds.length > 0) return { kind: 'ring', userIds: [...number.ringAllUserIds], reason: 'ring-all' };
  if (number.locationUserIds.length > 0) return { kind: 'ring', userIds: [...number.locationUserIds], reason: 'location' };
  return { kind: 'voicemail' };
}

/** The users a decision rings (stored on the call as `rang_user_ids`). */
export const ringsUsers = (decision: InboundDecision): string[] => (decision.kind === 'ring' ? decision.userIds : []);
