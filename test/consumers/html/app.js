// Runs before meetergo-slots.js has defined the element: the properties and the listener set
// here are kept when it upgrades.
const slots = document.querySelector('meetergo-slots');
if (slots) {
  slots.setAttribute(
    'proxy-url',
    new URLSearchParams(location.search).get('proxy') ?? '/api/meetergo',
  );
  slots.prefill = { firstname: 'Ada', email: 'ada@example.com' };
  /** @type {string[]} */
  const selected = [];
  Object.assign(window, { selected });
  slots.addEventListener('meetergo-slot-select', (event) => {
    event.preventDefault();
    selected.push(`html ${event.detail.start}`);
  });
}
