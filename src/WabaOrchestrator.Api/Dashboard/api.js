// The HTTP API with the key kept for this tab only (sessionStorage; index.html puts a ?code= key there too).
const storageKey = 'waba.apiKey';

// The API's base from the page's own folder: the local host serves the page at / (API at api/ below it, under any
// path base), the Functions host at /api/dashboard/ (API at /api/, the folder above).
const folder = location.pathname.replace(/[^/]*$/, '');
export const apiBase = folder.endsWith('/api/dashboard/') ? folder.slice(0, -'dashboard/'.length) : `${folder}api/`;

export class Unauthorized extends Error {}

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The API answered ${status}.`);
    this.status = status;
  }
}

export const apiKey = {
  get: () => sessionStorage.getItem(storageKey),
  set: (key) => sessionStorage.setItem(storageKey, key),
  forget: () => sessionStorage.removeItem(storageKey),
};

export async function call(path, { method = 'GET', body } = {}) {
  const headers = { 'x-functions-key': apiKey.get() ?? '' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${apiBase}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 || response.status === 403) throw new Unauthorized();
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiProblem(response.status, json);
  return json;
}

/** Every onboarding (newest first), following continuation tokens up to a bound so one poll stays cheap. */
export async function listAll(maxPages = 5) {
  const all = [];
  let token = null;
  for (let page = 0; page < maxPages; page++) {
    const query = new URLSearchParams({ top: '200' });
    if (token) query.set('continuationToken', token);
    const result = await call(`onboardings?${query}`);
    all.push(...result.instances);
    token = result.continuationToken;
    if (!token) break;
  }
  return all;
}
