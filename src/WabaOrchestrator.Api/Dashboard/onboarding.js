// One onboarding: lifecycle steps, Vonage state, OTP window with countdown, timeline, output, warnings and errors, and
// the operator's actions. The forms are built once so polling never wipes what is being typed.
import { call, ApiProblem } from './api.js';
import { el, time, countdown, stageOf, numberOf } from './format.js';

const steps = ['Provisioning', 'WaitingForCluster', 'WaitingForOtp', 'Verifying', 'Finalizing', 'ConfiguringProfile', 'Completed'];
const terminal = ['Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled', 'Terminated'];

export function renderOnboarding(view, id) {
  const path = `onboardings/${encodeURIComponent(id)}`;
  const heading = el('h2', { id: 'onboarding-title', text: id });
  const stepList = el('ol', { id: 'steps', class: 'steps', 'aria-label': 'Lifecycle' });
  const facts = el('dl', { id: 'facts', class: 'facts' });
  const otpFacts = el('dl', { id: 'otp', class: 'facts' });
  const otpSection = el('section', { id: 'otp-section', 'aria-labelledby': 'otp-title', hidden: true }, el('h3', { id: 'otp-title', text: 'OTP window' }), otpFacts);
  const problems = el('section', { id: 'problems', 'aria-label': 'Warnings and errors' });
  const message = el('p', { id: 'action-message', role: 'status' });

  const codeInput = el('input', { id: 'otp-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '\\d{3}-?\\d{3}', required: true, placeholder: '123456' });
  const otpForm = el('form', { id: 'otp-form' }, el('label', { for: 'otp-code', text: 'Code' }), codeInput, el('button', { type: 'submit', text: 'Submit code' }));
  const resendButton = el('button', { type: 'button', id: 'resend-now', text: 'Resend now' });
  const reasonInput = el('input', { id: 'cancel-reason', name: 'reason', maxlength: '500', placeholder: 'Why it is cancelled' });
  const cancelForm = el('form', { id: 'cancel-form' }, el('label', { for: 'cancel-reason', text: 'Reason' }), reasonInput, el('button', { type: 'submit', class: 'danger', text: 'Cancel onboarding' }));
  const actions = el('section', { id: 'actions', class: 'actions', 'aria-labelledby': 'actions-title' },
    el('h3', { id: 'actions-title', text: 'Actions' }), otpForm, el('div', {}, resendButton), cancelForm, message);

  const timeline = el('table', { id: 'timeline', class: 'timeline' },
    el('caption', { class: 'visually-hidden', text: 'Timeline, oldest first' }),
    el('thead', {}, el('tr', {}, ...['When', 'What', 'Details'].map((h) => el('th', { scope: 'col', text: h })))), el('tbody'));
  const output = el('pre', { id: 'output', tabindex: '0', 'aria-label': 'Output' });

  view.replaceChildren(
    el('p', {}, el('a', { href: '#/', text: '← All onboardings' })), heading, stepList,
    el('div', { class: 'columns' },
      el('section', { 'aria-labelledby': 'state-title' }, el('h3', { id: 'state-title', text: 'State' }), facts, otpSection, problems),
      actions),
    el('section', { 'aria-labelledby': 'timeline-title' }, el('h3', { id: 'timeline-title', text: 'Timeline' }), el('div', { class: 'table-wrap' }, timeline)),
    el('section', { 'aria-labelledby': 'output-title' }, el('h3', { id: 'output-title', text: 'Output' }), output));

  let current = null;
  const act = async (work, done) => {
    message.className = '';
    message.textContent = 'Sending…';
    try {
      await work();
      message.textContent = done;
      await refresh();
    } catch (error) {
      if (!(error instanceof ApiProblem)) throw error;
      message.className = 'error';
      message.textContent = error.message;
    }
  };
  otpForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = codeInput.value.trim();
    act(() => call(`${path}/otp`, { method: 'POST', body: { code } }), 'Code submitted.').then(() => { codeInput.value = ''; });
  });
  resendButton.addEventListener('click', () => act(() => call(`${path}/resend`, { method: 'POST' }), 'A new code was asked for.'));
  cancelForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const reason = reasonInput.value.trim();
    act(() => call(`${path}${reason ? `?reason=${encodeURIComponent(reason)}` : ''}`, { method: 'DELETE' }), 'Cancel requested.');
  });

  const tick = setInterval(() => { if (current) drawOtp(current); }, 1000);

  async function refresh() {
    const o = await call(`${path}?showHistory=true`);
    current = o;
    draw(o);
  }

  function draw(o) {
    heading.textContent = `Onboarding ${numberOf(o)}`;
    const stage = stageOf(o) ?? 'Provisioning';
    drawSteps(stepList, stage);
    const status = o.customStatus ?? {};
    facts.replaceChildren(...pairs([
      ['Instance', o.instanceId], ['Runtime status', o.runtimeStatus], ['Stage', stage],
      ['Vonage state', status.vonage_state ?? o.output?.state], ['Vonage detail', status.vonage_detail],
      ['Deployment', status.deployment_id ?? o.output?.deployment_id], ['Next poll', status.next_poll_at && time(status.next_poll_at)],
      ['Reason', status.reason ?? o.output?.reason], ['Created', time(o.createdTime)], ['Updated', time(o.lastUpdatedTime)],
    ]));
    drawOtp(o);
    const warnings = o.output?.warnings ?? [];
    const errors = [status.error, o.failureDetails?.errorMessage].filter((e, i, all) => e && all.indexOf(e) === i);
    problems.replaceChildren(
      ...(warnings.length ? [el('h4', { text: 'Warnings' }), el('ul', { class: 'warnings' }, ...warnings.map((w) => el('li', { text: w })))] : []),
      ...(errors.length ? [el('h4', { text: 'Errors' }), el('ul', { class: 'errors' }, ...errors.map((w) => el('li', { text: w })))] : []));
    const running = o.runtimeStatus === 'Running' || o.runtimeStatus === 'Pending';
    const waiting = running && (stage === 'WaitingForOtp' || stage === 'Verifying');
    for (const control of otpForm.elements) control.disabled = !waiting;
    resendButton.disabled = !waiting || (status.otp?.resends_left ?? 1) <= 0;
    for (const control of cancelForm.elements) control.disabled = !running;
    const entries = o.timeline?.entries ?? [];
    const dropped = o.timeline?.dropped ? [el('tr', {}, el('td', { text: time(o.timeline.dropped_until) }), el('td', { text: 'summary' }),
      el('td', { text: `${o.timeline.dropped} older entries not kept` }))] : [];
    timeline.tBodies[0].replaceChildren(...dropped, ...entries.map(entryRow));
    // The output's timeline is the one shown above: leave it out here.
    output.textContent = o.output === null || o.output === undefined ? 'No output yet: the onboarding is still running.'
      : JSON.stringify(typeof o.output === 'object' ? { ...o.output, timeline: undefined } : o.output, null, 2);
  }

  function drawOtp(o) {
    const otp = o.customStatus?.otp;
    const live = otp && (o.runtimeStatus === 'Running' || o.runtimeStatus === 'Pending') && ['WaitingForOtp', 'Verifying'].includes(stageOf(o));
    otpSection.hidden = !otp;
    if (!otp) return;
    otpFacts.replaceChildren(...pairs([
      ['Method', otp.method], ['Code sent', time(otp.sent_at)], ['Window ends', time(otp.window_ends_at)],
      ['Countdown', live ? countdown(otp.window_ends_at) : 'not waiting'], ['Resends', String(otp.resends)],
      ['Resends left', otp.resends_left === undefined ? '—' : String(otp.resends_left)], ['Attempts left', String(otp.attempts_left)],
    ], 'otp-'));
  }

  return { refresh, dispose: () => clearInterval(tick) };
}

function drawSteps(list, stage) {
  const index = steps.indexOf(stage);
  const end = terminal.includes(stage);
  list.replaceChildren(...steps.map((step, i) => {
    const label = i === steps.length - 1 && end ? stage : step;
    const isCurrent = end ? i === steps.length - 1 : i === index;
    const state = isCurrent ? 'current' : (end || i < index) ? 'done' : 'todo';
    return el('li', { class: `step ${state} ${isCurrent ? `stage-${stage}` : ''}`, 'aria-current': isCurrent ? 'step' : null },
      el('span', { text: label }));
  }));
}

function pairs(items, idPrefix = 'fact-') {
  return items.filter(([, v]) => v !== null && v !== undefined && v !== '').flatMap(([k, v]) => [
    el('dt', { text: k }), el('dd', { id: idPrefix + k.toLowerCase().replace(/\s+/g, '-'), text: String(v) })]);
}

function entryRow(e) {
  const what = e.kind === 'stage' ? `stage → ${e.stage}` : e.kind === 'vonage_call' ? `${e.call}: ${e.outcome}` : e.kind.replaceAll('_', ' ');
  const details = [
    e.vonage_state && `Vonage ${e.vonage_state}`, e.http_status && `HTTP ${e.http_status}`, e.error_code, e.source && `from ${e.source}`,
    e.delivery_id && `delivery ${e.delivery_id}`, e.verdict, e.outcome && e.kind !== 'vonage_call' && e.outcome, e.repeats && `×${e.repeats}`, e.detail,
  ].filter(Boolean).join(' · ');
  return el('tr', { 'data-kind': e.kind }, el('td', { text: time(e.at) }), el('td', { text: what }), el('td', { text: details }));
}
