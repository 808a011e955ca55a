// The list of onboardings: counts per runtime status and stage, filters, refreshed in place by the caller's poll.
import { listAll } from './api.js';
import { el, time, stageOf, numberOf, runtimeStatuses, stages } from './format.js';

const filters = { status: '', stage: '', prefix: '' };

export function renderList(view) {
  const statusSelect = el('select', { id: 'filter-status', name: 'status' }, el('option', { value: '', text: 'Any status' }),
    ...runtimeStatuses.map((s) => el('option', { value: s, text: s })));
  const stageSelect = el('select', { id: 'filter-stage', name: 'stage' }, el('option', { value: '', text: 'Any stage' }),
    ...stages.map((s) => el('option', { value: s, text: s })));
  const prefixInput = el('input', { id: 'filter-prefix', name: 'prefix', type: 'search', inputmode: 'tel', placeholder: 'e.g. 447700', autocomplete: 'off' });
  statusSelect.value = filters.status;
  stageSelect.value = filters.stage;
  prefixInput.value = filters.prefix;

  const form = el('form', { id: 'filters', class: 'filters', role: 'search', 'aria-label': 'Filter onboardings' },
    el('div', {}, el('label', { for: 'filter-status', text: 'Runtime status' }), statusSelect),
    el('div', {}, el('label', { for: 'filter-stage', text: 'Stage' }), stageSelect),
    el('div', {}, el('label', { for: 'filter-prefix', text: 'Number starts with' }), prefixInput));
  form.addEventListener('submit', (e) => e.preventDefault());

  const counts = el('section', { id: 'counts', class: 'counts', 'aria-label': 'Counts' });
  const table = el('table', { id: 'onboardings', class: 'onboardings' },
    el('caption', { class: 'visually-hidden', text: 'Onboardings, newest first' }),
    el('thead', {}, el('tr', {}, ...['Number', 'Runtime status', 'Stage', 'Vonage state', 'Created', 'Updated'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody'));
  const empty = el('p', { id: 'empty', class: 'muted', hidden: true, text: 'No onboarding matches.' });
  view.replaceChildren(el('h2', { text: 'Onboardings' }), counts, form, el('div', { class: 'table-wrap' }, table), empty);

  let last = [];
  const apply = () => draw(last);
  for (const [input, key] of [[statusSelect, 'status'], [stageSelect, 'stage'], [prefixInput, 'prefix']]) {
    input.addEventListener('input', () => { filters[key] = input.value.trim(); apply(); });
  }

  function draw(all) {
    last = all;
    counts.replaceChildren(countGroup('By runtime status', 'count-status', tally(all, (o) => o.runtimeStatus)),
      countGroup('By stage', 'count-stage', tally(all, stageOf)));
    const prefix = filters.prefix.replace(/^\+/, '');
    const shown = all.filter((o) => (!filters.status || o.runtimeStatus === filters.status)
      && (!filters.stage || stageOf(o) === filters.stage)
      && (!prefix || numberOf(o).slice(1).startsWith(prefix)));
    table.tBodies[0].replaceChildren(...shown.map(row));
    empty.hidden = shown.length > 0;
  }

  return async () => draw(await listAll());
}

function tally(all, key) {
  const counts = new Map();
  for (const o of all) {
    const k = key(o) ?? 'unknown';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return counts;
}

function countGroup(title, id, counts) {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return el('div', { class: 'count-group', id },
    el('h3', { text: title }),
    el('ul', {}, el('li', {}, el('span', { text: 'All' }), el('strong', { text: String(total) })),
      ...[...counts.entries()].map(([name, n]) => el('li', { 'data-name': name }, el('span', { text: name }), el('strong', { text: String(n) })))));
}

function row(o) {
  const stage = stageOf(o);
  return el('tr', { 'data-instance-id': o.instanceId },
    el('td', {}, el('a', { href: `#/onboardings/${encodeURIComponent(o.instanceId)}`, text: numberOf(o) })),
    el('td', { class: 'runtime-status' }, el('span', { class: `badge status-${o.runtimeStatus}`, text: o.runtimeStatus })),
    el('td', { class: 'stage', text: stage ?? '—' }),
    el('td', { class: 'vonage-state', text: o.customStatus?.vonage_state ?? o.output?.state ?? '—' }),
    el('td', { text: time(o.createdTime) }),
    el('td', { text: time(o.lastUpdatedTime) }));
}
