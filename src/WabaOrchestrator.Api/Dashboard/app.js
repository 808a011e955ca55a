// Entry point: asks for the API key once per tab, routes between the list (#/) and one onboarding (#/onboardings/{id}),
// and polls the current view every 2 seconds without reloading the page.
import { apiKey, Unauthorized } from './api.js';
import { renderList } from './list.js';
import { renderOnboarding } from './onboarding.js';

const pollEvery = 2000;
const view = document.getElementById('view');
const keySection = document.getElementById('key-section');
const keyForm = document.getElementById('key-form');
const keyInput = document.getElementById('api-key');
const keyError = document.getElementById('key-error');
const forgetKey = document.getElementById('forget-key');
const refreshState = document.getElementById('refresh-state');

let active = null;
let timer = null;

function askForKey(error) {
  stop();
  view.replaceChildren();
  keySection.hidden = false;
  forgetKey.hidden = true;
  keyError.hidden = !error;
  keyError.textContent = error ?? '';
  keyInput.value = '';
  keyInput.focus();
}

function stop() {
  clearTimeout(timer);
  active?.dispose?.();
  active = null;
}

async function poll(current) {
  try {
    await current.refresh();
    refreshState.textContent = `Updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`;
  } catch (error) {
    if (error instanceof Unauthorized) {
      apiKey.forget();
      askForKey('That API key was refused (401 Unauthorized). Enter the key the host printed at start-up.');
      return;
    }
    refreshState.textContent = `Refresh failed: ${error.message}`;
  }
  if (active === current) timer = setTimeout(() => poll(current), pollEvery);
}

function route() {
  stop();
  if (!apiKey.get()) {
    askForKey();
    return;
  }
  keySection.hidden = true;
  forgetKey.hidden = false;
  const match = location.hash.match(/^#\/onboardings\/(.+)$/);
  if (match) {
    active = renderOnboarding(view, decodeURIComponent(match[1]));
  } else {
    const refresh = renderList(view);
    active = { refresh };
  }
  poll(active);
}

keyForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const key = keyInput.value.trim();
  if (!key) return;
  apiKey.set(key);
  route();
});
forgetKey.addEventListener('click', () => { apiKey.forget(); askForKey(); });
window.addEventListener('hashchange', route);
route();
