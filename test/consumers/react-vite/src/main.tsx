import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type {} from 'meetergo-slots/jsx/react'; // <meetergo-slots> in JSX
import { MeetergoSlots } from 'meetergo-slots/react';

const proxy = new URLSearchParams(location.search).get('proxy') ?? '/api/meetergo';
const prefill = { firstname: 'Ada', email: 'ada@example.com' };
const selected: string[] = [];
Object.assign(window, { selected });

function App() {
  return (
    <div style={{ width: '1100px' }}>
      <MeetergoSlots
        id="wrapper"
        proxyUrl={proxy}
        userId="550e8400-e29b-41d4-a716-446655440000"
        meetingTypeId="770e8400-e29b-41d4-a716-446655440002"
        bookingUrl="https://cal.meetergo.com/john-smith/30min-meeting"
        prefill={prefill}
        onSlotSelect={(event) => {
          event.preventDefault();
          selected.push(`wrapper ${event.detail.start}`);
        }}
        onSlotsError={(event) => selected.push(`error ${event.detail.message}`)}
      />
      <meetergo-slots
        id="bare"
        proxy-url={proxy}
        user-id="550e8400-e29b-41d4-a716-446655440000"
        meeting-type-id="770e8400-e29b-41d4-a716-446655440002"
        booking-url="https://cal.meetergo.com/john-smith/30min-meeting"
        prefill={prefill}
        onmeetergo-slot-select={(event) => {
          event.preventDefault();
          selected.push(`bare ${event.detail.start}`);
        }}
      />
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
