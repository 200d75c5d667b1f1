import type { CallerContact, NumberRoute } from './routing-cache';

/**
 * Who an inbound call rings, pure: the number's settings and the caller's contact decide.
 *
 * - the caller's contact has inbound-call DND → refused without ringing anyone (`blocked`);
 * - the number forwards → dialled out to the forwarding number, no softphone rings;
 * - `assigned_member` → the number's member, else the contact's assigned user, else nobody;
 * - `ring_all` → the number's explicit list, else every live user of its location (or account).
 * Nobody to ring means voicemail.
 */
export type InboundDecision =
  | { kind: 'blocked' }
  | { kind: 'forward'; to: string }
  | { kind: 'ring'; userIds: string[] }
  | { kind: 'voicemail' };

export function whoRings(number: NumberRoute, contact: CallerContact | null): InboundDecision {
  if (contact?.dnd?.call?.inbound === true) return { kind: 'blocked' };
  if (number.forwardingNumber) return { kind: 'forward', to: number.forwardingNumber };
  let ring: string[];
  if (number.inboundRouting === 'assigned_member') {
    const member = number.assignedUserId ?? contact?.assignedUserId;
    ring = member ? [member] : [];
  } else {
    ring = number.ringAllUserIds.length > 0 ? [...number.ringAllUserIds] : [...number.locationUserIds];
  }
  return ring.length > 0 ? { kind: 'ring', userIds: ring } : { kind: 'voicemail' };
}

/** The users a decision rings (stored on the call as `rang_user_ids`). */
export const ringsUsers = (decision: InboundDecision): string[] => (decision.kind === 'ring' ? decision.userIds : []);
