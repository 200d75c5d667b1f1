import { ErrorAlert } from './ErrorAlert';

/**
 * What a screen could not load, in place of what it would show: why (announced at once, as
 * ErrorAlert does) and Try again, so an empty list never pretends that there is nothing to show.
 */
export function LoadFailure(props: { message: string; onRetry: () => void }) {
  return (
    <div className="load-failure">
      <ErrorAlert message={props.message} />
      <button type="button" onClick={props.onRetry}>
        Try again
      </button>
    </div>
  );
}
