import { create } from 'zustand';
import { useNavigation } from '../../state/navigation';
import { useSession } from '../../state/session';
import { keepEditsOffScreen } from '../../state/unsaved-changes';
import type { CallPolicyView } from '../../../shared/cloud/call-policy';
import { OUTBOUND_CALLS_PER_USER_HOUR } from '../../../shared/cloud/call-policy-limits';
import type { CallPolicyChanges } from './call-policy-actions';

/** What the admin has on screen: the allowed countries (null: own country only) and the cap as typed. */
export interface CallPolicyDraft {
  allowed: string[] | null;
  cap: string;
}

export const draftOf = (policy: CallPolicyView): CallPolicyDraft => ({
  allowed: policy.usingDefault ? null : policy.allowedCountries,
  cap: String(policy.outboundCallsPerUserHour),
});

/** The typed cap as a number, or null when it is not one the cloud takes (its own bounds: the shared schema's). */
export const validCap = (text: string): number | null => {
  const cap = Number(text);
  return text.trim() !== '' && Number.isInteger(cap) && cap >= OUTBOUND_CALLS_PER_USER_HOUR.min && cap <= OUTBOUND_CALLS_PER_USER_HOUR.max ? cap : null;
};

/** Only what differs from the saved policy: null when nothing does (or the cap is not a valid number). */
export function callPolicyChanges(policy: CallPolicyView, draft: CallPolicyDraft): CallPolicyChanges | null {
  const cap = validCap(draft.cap);
  if (cap === null) return null;
  const changes: CallPolicyChanges = {};
  const saved = draftOf(policy).allowed;
  const sameCountries = saved === null || draft.allowed === null ? saved === draft.allowed : saved.join() === draft.allowed.join();
  if (!sameCountries) changes.allowedCountries = draft.allowed;
  if (cap !== policy.outboundCallsPerUserHour) changes.outboundCallsPerUserHour = cap;
  return Object.keys(changes).length > 0 ? changes : null;
}

/** Whether the draft holds edits not saved: a change to save, or a cap typed wrong (the saved one never is). */
export const isEdited = (policy: CallPolicyView, draft: CallPolicyDraft): boolean => validCap(draft.cap) === null || callPolicyChanges(policy, draft) !== null;

interface CallPolicyState {
  /** Whose draft this is: another person signing in on this computer never sees it. */
  owner: string | null;
  /** The policy as the cloud last gave it, or null before it is loaded. */
  policy: CallPolicyView | null;
  draft: CallPolicyDraft;
}

/**
 * Settings → Call policy's loaded policy and the admin's draft. Kept here rather than in the section
 * so that edits survive the section leaving the screen without the unsaved-changes warning (the
 * phone shows an answered call at once): they are still there when the admin comes back.
 */
export const useCallPolicy = create<CallPolicyState>(() => ({ owner: null, policy: null, draft: { allowed: null, cap: '' } }));

/** The policy the cloud gave `owner`: the draft starts from it, unless `owner` has unsaved edits kept from before. */
export function policyLoaded(owner: string | null, policy: CallPolicyView): void {
  const kept = keptEdits(owner);
  useCallPolicy.setState({ owner, policy, draft: kept ? useCallPolicy.getState().draft : draftOf(policy) });
}

/** The policy the cloud saved: the draft is it now. */
export function policySaved(policy: CallPolicyView): void {
  useCallPolicy.setState({ policy, draft: draftOf(policy) });
}

export function editDraft(next: Partial<CallPolicyDraft>): void {
  useCallPolicy.setState((s) => ({ draft: { ...s.draft, ...next } }));
}

/** Back to the saved policy. */
export function discardDraft(): void {
  const { policy } = useCallPolicy.getState();
  if (policy) useCallPolicy.setState({ draft: draftOf(policy) });
}

/** Whether `owner` left unsaved call-policy edits behind (Settings then opens on Call policy). */
export function keptEdits(owner: string | null): boolean {
  const { owner: keptFor, policy, draft } = useCallPolicy.getState();
  return owner !== null && keptFor === owner && policy !== null && isEdited(policy, draft);
}

/**
 * The signed-in admin's edits kept here count as unsaved when the app quits or the window closes,
 * even while Settings is off screen; Keep editing opens Settings, which opens on Call policy.
 * Returns the unsubscribe.
 */
export function guardKeptCallPolicyEdits(): () => void {
  return keepEditsOffScreen({
    what: 'Call policy',
    present: () => {
      const session = useSession.getState().session;
      return keptEdits(session?.status === 'signed-in' ? session.user.id : null);
    },
    // The draft, the loaded policy and who is signed in decide it.
    subscribe: (changed) => {
      const offs = [useCallPolicy.subscribe(changed), useSession.subscribe(changed)];
      return () => {
        for (const off of offs) off();
      };
    },
    show: () => useNavigation.getState().setView('settings'),
  });
}
