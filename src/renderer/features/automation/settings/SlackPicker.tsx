import { useCallback, useEffect, useId, useState } from 'react';
import type { SlackChannel, SlackMember } from '../../../../shared/cloud/slack';
import { getBridge } from '../../../bridge';

export type SlackListKind = 'members' | 'public' | 'private';
type Item = SlackMember | SlackChannel;

const nouns = { members: 'members', public: 'public channels', private: 'private channels' } as const;
const itemLabel = (item: Item): string =>
  'isPrivate' in item ? `#${item.name}${item.memberCount === null ? '' : ` (${item.memberCount} ${item.memberCount === 1 ? 'member' : 'members'})`}` : `${item.name}${item.realName && item.realName !== item.name ? ` — ${item.realName}` : ''}${item.email ? ` <${item.email}>` : ''}`;

/** One page after another from the cloud (Slack's cursor), with a search for members. */
function useSlackPages(connectionId: string, kind: SlackListKind) {
  const [items, setItems] = useState<Item[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState('');

  const load = useCallback(
    async (from: string | null, query: string) => {
      if (!connectionId) return;
      setLoading(true);
      const bridge = getBridge().workflowSettings;
      const input = { connectionId, ...(from ? { cursor: from } : {}), ...(query.trim() ? { search: query.trim() } : {}) };
      const result = kind === 'members' ? await bridge.slackMembers(input) : await bridge.slackChannels({ ...input, type: kind });
      setLoading(false);
      if (!result.ok) return setError(result.error.message);
      setError(null);
      setItems((before) => (from ? [...before, ...result.value.items] : result.value.items));
      setCursor(result.value.nextCursor);
    },
    [connectionId, kind],
  );
  useEffect(() => {
    setItems([]);
    setCursor(null);
    void load(null, '');
  }, [load]);
  return { items, cursor, loading, error, search, setSearch, loadMore: () => void load(cursor, search), runSearch: () => void load(null, search) };
}

/**
 * Members or channels of a connected Slack workspace, chosen from a list instead of typed ids:
 * the first page at once, "Load More" for the next (the cloud pages Slack with its cursor).
 * Without `onChange` it only lists (Settings → Integrations → Slack).
 */
export function SlackPicker(props: { connectionId: string; kind: SlackListKind; label: string; value?: string | null; onChange?: (id: string) => void; error?: string }) {
  const { items, cursor, loading, error, search, setSearch, loadMore, runSearch } = useSlackPages(props.connectionId, props.kind);
  const groupId = useId();
  const searchId = useId();
  const { onChange } = props;
  if (!props.connectionId) {
    // Still say what is missing (Save Action's message for this field), though there is no list yet.
    return (
      <p className="muted">
        {props.label}: choose a workspace first to list its {nouns[props.kind]}.
        {props.error ? <span className="field-error"> {props.error}</span> : null}
      </p>
    );
  }
  const chosenShown = props.value ? items.find((i) => i.id === props.value) : undefined;
  return (
    <fieldset className="field slack-picker" aria-describedby={props.error ? `${groupId}-error` : undefined}>
      <legend>{props.label}</legend>
      {props.kind === 'members' ? (
        <div className="automation-row">
          <label htmlFor={searchId}>Search members</label>
          <input
            id={searchId} value={search} maxLength={100} onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                runSearch();
              }
            }}
          />
          <button type="button" onClick={runSearch}>
            Search
          </button>
        </div>
      ) : null}
      {props.value && !chosenShown ? <p>Chosen: {props.value}</p> : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      {items.length === 0 && !loading && !error ? <p className="muted">No {nouns[props.kind]} found.</p> : null}
      <ul className="ws-list slack-items" aria-label={`${props.label}: ${items.length} loaded`}>
        {items.map((item) => (
          <li key={item.id}>
            {onChange ? (
              <label className="check">
                <input type="radio" name={groupId} value={item.id} checked={props.value === item.id} onChange={() => onChange(item.id)} />
                {itemLabel(item)}
              </label>
            ) : (
              <span>
                {itemLabel(item)} <span className="muted">({item.id})</span>
              </span>
            )}
          </li>
        ))}
      </ul>
      <p className="sr-only" role="status" aria-live="polite">
        {loading ? `Loading ${nouns[props.kind]}…` : `${items.length} ${nouns[props.kind]} loaded${cursor ? '; more to load' : ''}.`}
      </p>
      {cursor ? (
        <button type="button" onClick={loadMore} disabled={loading}>
          {loading ? 'Loading…' : 'Load More'}
        </button>
      ) : null}
      {props.error ? (
        <span id={`${groupId}-error`} className="field-error">
          {props.error}
        </span>
      ) : null}
    </fieldset>
  );
}
