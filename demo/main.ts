// The demo page: one widget per host (each in another display zone), its embed snippet, a form
// that creates a platform user through the stand-in, and a log of the widgets' events.
import '../src/meetergo-slots.js';
import type { MeetergoSlots } from '../src/meetergo-slots.js';

interface DemoHost {
  name: string;
  userId: string;
  meetingTypeId?: string;
  bookingUrl?: string;
  timezone?: string;
}

/** How each seeded host's widget is set up, so the page shows the range of options. */
const looks: { attributes: Record<string, string>; note: string; dark?: boolean }[] = [
  { attributes: {}, note: 'Shown in your own time zone (no timezone attribute).' },
  {
    attributes: { timezone: 'Asia/Tokyo', 'hour-cycle': 'h23' },
    note: 'Shown in Asia/Tokyo, 24-hour clock.',
  },
  {
    attributes: { timezone: 'America/Los_Angeles', locale: 'de', theme: 'dark', days: '5' },
    note: 'Shown in America/Los_Angeles, in German, dark theme, five days a page.',
    dark: true,
  },
];

const hostsSection = document.querySelector<HTMLElement>('#hosts')!;
const mode = document.querySelector<HTMLElement>('#mode')!;
const log = document.querySelector<HTMLOListElement>('#log')!;
const intercept = document.querySelector<HTMLInputElement>('#intercept')!;

function attributesOf(host: DemoHost, extra: Record<string, string>): [string, string][] {
  const attributes: [string, string][] = [
    ['proxy-url', '/api/meetergo'],
    ['user-id', host.userId],
  ];
  if (host.meetingTypeId) attributes.push(['meeting-type-id', host.meetingTypeId]);
  if (host.bookingUrl) attributes.push(['booking-url', host.bookingUrl]);
  return [...attributes, ...Object.entries(extra)];
}

function snippet(attributes: [string, string][]): string {
  const lines = attributes.map(([name, value]) => `  ${name}="${value}"`).join('\n');
  return `<script type="module" src="https://cdn.example/meetergo-slots.js"></script>\n<meetergo-slots\n${lines}>\n</meetergo-slots>`;
}

function addHost(host: DemoHost, look: (typeof looks)[number], prepend = false): MeetergoSlots {
  const section = document.createElement('section');
  section.className = look.dark ? 'host dark' : 'host';
  const title = document.createElement('h2');
  title.textContent = host.timezone ? `${host.name} (host in ${host.timezone})` : host.name;
  const note = document.createElement('p');
  note.textContent = look.note;
  const widget = document.createElement('meetergo-slots');
  const attributes = attributesOf(host, look.attributes);
  for (const [name, value] of attributes) widget.setAttribute(name, value);
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'Embed snippet';
  const pre = document.createElement('pre');
  pre.textContent = snippet(attributes);
  details.append(summary, pre);
  section.append(title, note, widget, details);
  if (prepend) hostsSection.prepend(section);
  else hostsSection.append(section);
  return widget;
}

function record(line: string, error = false): void {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${line}`;
  if (error) item.className = 'error';
  log.prepend(item);
  while (log.children.length > 30) log.lastElementChild!.remove();
}

document.addEventListener('meetergo-slot-select', (event) => {
  if (intercept.checked) event.preventDefault();
  const { start, timezone, url } = event.detail;
  record(
    `meetergo-slot-select ${start} (${timezone})${intercept.checked ? ` → would open ${url ?? '(button)'}` : ''}`,
  );
});
document.addEventListener('meetergo-slots-load', (event) => {
  const { startDate, endDate, timezone, count } = event.detail;
  record(`meetergo-slots-load ${startDate}…${endDate} ${timezone}: ${count} slots`);
});
document.addEventListener('meetergo-slots-error', (event) => {
  record(`meetergo-slots-error ${event.detail.status ?? '-'} ${event.detail.message}`, true);
});

async function loadHosts(): Promise<void> {
  try {
    const response = await fetch('/api/dev/hosts');
    const { standIn, hosts } = (await response.json()) as { standIn: boolean; hosts: DemoHost[] };
    mode.textContent = standIn
      ? "No MEETERGO_API_KEY set: the proxy's upstream is the built-in stand-in of meetergo's API."
      : 'MEETERGO_API_KEY set: real slots from meetergo.';
    if (!standIn) document.querySelector('#create-user')!.closest('section')!.hidden = true;
    if (hosts.length === 0) {
      mode.textContent +=
        ' Set MEETERGO_USER_ID (and optionally MEETERGO_MEETING_TYPE_ID, MEETERGO_BOOKING_URL) to show a host.';
    }
    hosts.forEach((host, index) => addHost(host, looks[index % looks.length]!));
  } catch {
    mode.textContent = 'The demo server did not answer.';
  }
}

const form = document.querySelector<HTMLFormElement>('#create-user')!;
const createStatus = document.querySelector<HTMLElement>('#create-status')!;
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const timezone = String(data.get('timezone'));
  const body: Record<string, unknown> = {
    email: String(data.get('email')),
    givenName: String(data.get('firstname')),
    familyName: String(data.get('lastname')),
    timezone,
    meetingType: {
      name: `${data.get('duration')}min Meeting`,
      duration: Number(data.get('duration')),
    },
  };
  if (data.get('schedule') === 'custom') {
    const days = new Set(data.getAll('day').map(String));
    const hours = [{ start: String(data.get('from')), end: String(data.get('to')) }];
    body['availability'] = Object.fromEntries(
      ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((day) => [
        day,
        { enabled: days.has(day), hours: days.has(day) ? hours : [] },
      ]),
    );
  }
  createStatus.textContent = 'Creating…';
  createStatus.className = '';
  const response = await fetch('/api/dev/users', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const message = Array.isArray(answer['message'])
      ? answer['message'].join('; ')
      : answer['message'];
    createStatus.textContent = `${response.status}: ${String(message ?? 'failed')}`;
    createStatus.className = 'error';
    return;
  }
  const host: DemoHost = {
    name: `${data.get('firstname')} ${data.get('lastname')}`,
    userId: String(answer['userId']),
    meetingTypeId: String(answer['meetingTypeId']),
    bookingUrl: String(answer['bookingUrl']),
    timezone,
  };
  createStatus.textContent = `Created ${host.name} (${host.userId}).`;
  addHost(
    host,
    { attributes: {}, note: 'Just created. Shown in your own time zone.' },
    true,
  ).scrollIntoView({
    block: 'center',
  });
});

void loadHosts();
