/** A problem the user has to see, announced at once to screen readers; nothing when there is none. */
export function ErrorAlert(props: { message: string | null | undefined }) {
  if (!props.message) return null;
  return (
    <p className="error" role="alert">
      {props.message}
    </p>
  );
}
