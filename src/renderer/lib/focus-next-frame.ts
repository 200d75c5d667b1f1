/**
 * Focuses what `find` returns in the next frame, once React has drawn it (a step just added, the
 * first invalid field, the button that opened a closed editor), unless focus has been put somewhere
 * else since. A frame can come late — a busy computer, a page drawing nothing — and focus must never
 * jump away from where the receptionist, or a keyboard-only test, has moved it meanwhile: a late
 * jump to the new step once took an Enter meant for Save draft (sending-domains E2E, session 43).
 * Focus that was lost meanwhile (its element closed, so on the page's body) is still moved.
 */
export function focusNextFrame(find: () => HTMLElement | null | undefined): void {
  const before = document.activeElement;
  requestAnimationFrame(() => {
    const now = document.activeElement;
    if (now !== before && now !== null && now !== document.body) return;
    find()?.focus();
  });
}
