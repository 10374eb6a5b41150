// The pick-mode demo: the widget as a field of the page's own form.
import '../src/meetergo-slots.js';

const form = document.querySelector<HTMLFormElement>('#pick-form')!;
const widget = form.querySelector('meetergo-slots')!;
const status = document.querySelector<HTMLElement>('#pick-status')!;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new URLSearchParams();
  for (const [name, value] of new FormData(form)) data.append(name, String(value));
  status.textContent = `Would POST ${data}`;
});
widget.addEventListener('change', () => {
  status.textContent = widget.value ? `Picked ${widget.value}` : 'No time picked';
});
