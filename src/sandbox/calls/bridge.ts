// Connects two parties' audio and digits both ways; returns the function that undoes it.
import { RelaySource } from '../media/audio-source';
import type { Party } from './party';

export function bridgeParties(a: Party, b: Party): () => void {
  const toA = new RelaySource('bridge');
  const toB = new RelaySource('bridge');
  const aSpoke = (f: Buffer): void => toB.push(f);
  const bSpoke = (f: Buffer): void => toA.push(f);
  const aPressed = (d: string): void => void (b.digitsHeard += d);
  const bPressed = (d: string): void => void (a.digitsHeard += d);
  a.on('audio', aSpoke);
  b.on('audio', bSpoke);
  a.on('digit', aPressed);
  b.on('digit', bPressed);
  a.hear(toA);
  b.hear(toB);
  return () => {
    a.off('audio', aSpoke);
    b.off('audio', bSpoke);
    a.off('digit', aPressed);
    b.off('digit', bPressed);
  };
}

/** The party hears itself: what it says comes straight back. */
export function echoParty(p: Party): () => void {
  const back = new RelaySource('echo');
  const spoke = (f: Buffer): void => back.push(f);
  p.on('audio', spoke);
  p.hear(back);
  return () => p.off('audio', spoke);
}
