import { useState, type FormEvent } from 'react';
import type { MatchAt, NumberSearchResult, NumberType, PurchaseOutcome, SearchSuggestion } from '../../../shared/cloud/numbers';
import { formatPhone } from '../../lib/phone';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { capabilitiesText, priceSummary, TYPE_LABELS } from './number-text';
import { buyNumbers, requestFromSupport, searchNumbers } from './numbers-actions';
import { useNumbers } from './numbers-store';

interface Filters {
  country: string;
  type: NumberType;
  match: string;
  matchAt: MatchAt;
  voice: boolean;
  sms: boolean;
  mms: boolean;
}

const COUNTRIES: ReadonlyArray<[string, string]> = [
  ['US', 'United States'],
  ['CA', 'Canada'],
  ['GB', 'United Kingdom'],
  ['AU', 'Australia'],
];
const MATCH_AT: ReadonlyArray<[MatchAt, string]> = [
  ['first', 'First part'],
  ['last', 'Last part'],
  ['any', 'Any part'],
];

const OUTCOME_TEXT: Record<PurchaseOutcome['status'], string> = { bought: 'Bought', taken: 'Taken by someone else', failed: 'Not bought' };

/**
 * Settings → Phone Numbers → Add Number: country and filters (digits or a phrase, first/last/any,
 * capabilities, type), the price before buying, several numbers at once with an outcome each, the
 * seed's suggestions when nothing matches, and international numbers as a request to support.
 */
export function BuyNumbers(props: { onMessage: (message: string) => void }) {
  const overview = useNumbers((s) => s.overview);
  const open = useNumbers((s) => s.open);
  const home = overview?.homeCountry ?? 'US';
  const [filters, setFilters] = useState<Filters>({ country: home, type: 'local', match: '', matchAt: 'first', voice: true, sms: false, mms: false });
  // The list on screen with the search that produced it: what is bought is what was searched, never the live form.
  const [shown, setShown] = useState<{ searched: Filters; result: NumberSearchResult } | null>(null);
  const result = shown?.result ?? null;
  const [selected, setSelected] = useState<string[]>([]);
  const [locationId, setLocationId] = useState<string>('');
  const [outcomes, setOutcomes] = useState<PurchaseOutcome[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (f: Filters) => {
    setBusy(true);
    setError(null);
    setOutcomes(null);
    const searched = await searchNumbers({
      country: f.country,
      type: f.type,
      matchAt: f.matchAt,
      ...(f.match.trim() ? { match: f.match.trim() } : {}),
      ...(f.voice ? { voice: true } : {}),
      ...(f.sms ? { sms: true } : {}),
      ...(f.mms ? { mms: true } : {}),
    });
    setBusy(false);
    setSelected([]);
    if (searched.ok) setShown({ searched: f, result: searched.value });
    else {
      setShown(null);
      setError(searched.error.message);
    }
  };

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    void run(filters);
  };

  const follow = (s: SearchSuggestion) => {
    if (s.kind === 'refresh') return void run(filters);
    if (s.kind === 'support') return void askSupport('unlisted');
    const next: Filters = { country: s.query.country, type: s.query.type, match: s.query.match ?? '', matchAt: s.query.matchAt, voice: !!s.query.voice, sms: !!s.query.sms, mms: !!s.query.mms };
    setFilters(next);
    void run(next);
  };

  const askSupport = async (kind: 'international' | 'unlisted') => {
    setError(null);
    const asked = shown?.searched ?? filters;
    const created = await requestFromSupport({
      kind,
      country: asked.country,
      numberType: asked.type,
      phoneNumbers: selected,
      note: asked.match ? `Wanted: “${asked.match}” (${asked.matchAt} part of the number)` : '',
    });
    if (!created.ok) return setError(created.error.message);
    props.onMessage('Your request was sent to Aesthetix support. Follow it under Support requests.');
    open({ kind: 'requests' });
  };

  const buy = async () => {
    if (!shown || selected.length === 0) return;
    setBusy(true);
    setError(null);
    const { country, type } = shown.searched;
    const bought = await buyNumbers({ country, numberType: type, phoneNumbers: selected, locationId: locationId || null });
    setBusy(false);
    if (!bought.ok) return setError(bought.error.message);
    setOutcomes(bought.value.results);
    setSelected(bought.value.results.filter((r) => r.status === 'failed').map((r) => r.phoneNumber));
  };

  const toggle = (phone: string) => setSelected((list) => (list.includes(phone) ? list.filter((p) => p !== phone) : [...list, phone]));
  const set = (patch: Partial<Filters>) => {
    // Another country or type is another list: the one on screen (and what is ticked in it) no longer matches the form.
    if ((patch.country !== undefined && patch.country !== filters.country) || (patch.type !== undefined && patch.type !== filters.type)) {
      setShown(null);
      setSelected([]);
    }
    setFilters((f) => ({ ...f, ...patch }));
  };
  const canBuy = !!result && !result.international && !!result.price;

  return (
    <section aria-labelledby="buy-title" className="buy-numbers">
      <h2 id="buy-title">Add number</h2>
      <form className="buy-filters" onSubmit={onSearch}>
        <label>
          Country
          <select value={filters.country} onChange={(e) => set({ country: e.target.value })}>
            {COUNTRIES.map(([code, name]) => (
              <option key={code} value={code}>
                {name}
                {code === home ? '' : ' (request from support)'}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Number type</legend>
          {(['local', 'toll-free'] as const).map((t) => (
            <label key={t} className="check">
              <input type="radio" name="number-type" checked={filters.type === t} onChange={() => set({ type: t })} />
              {TYPE_LABELS[t]}
            </label>
          ))}
        </fieldset>
        <label>
          Digits or phrase
          <input value={filters.match} maxLength={40} placeholder="e.g. 424 or GLOW" onChange={(e) => set({ match: e.target.value })} aria-describedby="match-hint" />
        </label>
        <p id="match-hint" className="hint">
          Letters match their keypad digits (GLOW = 4569).
        </p>
        <fieldset>
          <legend>Match the</legend>
          {MATCH_AT.map(([at, label]) => (
            <label key={at} className="check">
              <input type="radio" name="match-at" checked={filters.matchAt === at} onChange={() => set({ matchAt: at })} />
              {label}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Capabilities</legend>
          {(['voice', 'sms', 'mms'] as const).map((c) => (
            <label key={c} className="check">
              <input type="checkbox" checked={filters[c]} onChange={(e) => set({ [c]: e.target.checked })} />
              {c === 'voice' ? 'Voice' : c.toUpperCase()}
            </label>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Search
          </button>
          <button type="button" disabled={busy || !result} onClick={() => void run(filters)}>
            Refresh Results
          </button>
          <button type="button" onClick={() => open({ kind: 'list' })}>
            Back to numbers
          </button>
        </div>
      </form>
      <ErrorAlert message={error} />
      {busy ? <p role="status">Searching…</p> : null}
      {shown && result ? (
        <div className="buy-results">
          {result.price ? (
            <p className="price" data-testid="number-price">
              {TYPE_LABELS[shown.searched.type]} numbers in {shown.searched.country}: {priceSummary(result.price)}
            </p>
          ) : (
            <p className="hint">
              There is no price for {TYPE_LABELS[shown.searched.type].toLowerCase()} numbers in {shown.searched.country}: Aesthetix support can set one up.
            </p>
          )}
          {result.international ? (
            <div className="notice-box" role="status">
              <p>International numbers are not bought in the app: Aesthetix support buys them on the practice’s behalf.</p>
              <button type="button" onClick={() => void askSupport('international')}>
                Request from support{selected.length ? ` (${selected.length} selected)` : ''}
              </button>
            </div>
          ) : null}
          {result.numbers.length === 0 ? (
            <div role="status">
              <p>No numbers match. Try one of these:</p>
              <ul className="suggestion-list">
                {result.suggestions.map((s) => (
                  <li key={`${s.kind}-${s.label}`}>
                    <button type="button" className="link" onClick={() => follow(s)}>
                      {s.label}
                      {'available' in s ? ` — ${s.available} available` : ''}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <fieldset className="available-list">
              <legend>
                {result.numbers.length} numbers available — select one or more ({selected.length} selected)
              </legend>
              {result.numbers.map((n) => (
                <label key={n.phoneNumber} className="check available">
                  <input type="checkbox" checked={selected.includes(n.phoneNumber)} onChange={() => toggle(n.phoneNumber)} />
                  <span className="available-number">{formatPhone(n.phoneNumber)}</span>
                  <span className="muted">
                    {[n.locality, n.region].filter(Boolean).join(', ') || TYPE_LABELS[n.numberType]} · {capabilitiesText(n.capabilities)}
                  </span>
                </label>
              ))}
            </fieldset>
          )}
          {canBuy && result.numbers.length > 0 ? (
            <div className="row">
              <label>
                Rings by default
                <select value={locationId} onChange={(e) => setLocationId(e.target.value)}>
                  <option value="">Everyone in the account</option>
                  {(overview?.locations ?? []).map((l) => (
                    <option key={l.id} value={l.id}>
                      Everyone at {l.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="button" className="primary" disabled={busy || selected.length === 0} onClick={() => void buy()}>
                Proceed to Buy{selected.length ? ` (${selected.length})` : ''}
              </button>
            </div>
          ) : null}
        </div>
      ) : null}
      {outcomes ? (
        <ul className="purchase-outcomes" aria-label="Purchase results" aria-live="polite">
          {outcomes.map((o) => (
            <li key={o.phoneNumber} className={`outcome-${o.status}`}>
              <strong>{formatPhone(o.phoneNumber)}</strong>: {o.status === 'failed' && o.unconfirmed ? 'Not confirmed yet' : OUTCOME_TEXT[o.status]}
              {o.status !== 'bought' ? ` — ${o.message}` : o.number.name !== formatPhone(o.phoneNumber) ? ` — named “${o.number.name}”` : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
