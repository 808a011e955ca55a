// Small helpers shared by the views: escaping, times, element building.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'text') node.textContent = value;
    else node.setAttribute(name, value === true ? '' : value);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function time(value) {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : date.toLocaleString(undefined, { hour12: false });
}

export function countdown(until) {
  const ms = new Date(until).getTime() - Date.now();
  if (!(ms > 0)) return 'ended';
  const seconds = Math.ceil(ms / 1000);
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(s).padStart(2, '0')} left`;
}

export const stageOf = (o) => o.customStatus?.stage ?? o.output?.stage ?? null;

export const numberOf = (o) => o.instanceId.startsWith('waba-') ? `+${o.instanceId.slice(5)}` : o.instanceId;

export const runtimeStatuses = ['Pending', 'Running', 'Completed', 'Failed', 'Terminated', 'Suspended'];

export const stages = ['Provisioning', 'WaitingForCluster', 'WaitingForOtp', 'Verifying', 'Finalizing', 'ConfiguringProfile',
  'Completed', 'CompletedWithWarnings', 'Failed', 'Cancelled', 'Terminated'];
