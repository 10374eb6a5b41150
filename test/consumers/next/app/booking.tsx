'use client';
import { useEffect } from 'react';
import { MeetergoSlots } from 'meetergo-slots/react';

const selected: string[] = [];

export function Booking() {
  useEffect(() => {
    Object.assign(window, { selected });
    document.body.dataset['hydrated'] = 'true';
  }, []);
  return (
    <MeetergoSlots
      proxyUrl="/api/meetergo"
      userId="550e8400-e29b-41d4-a716-446655440000"
      meetingTypeId="770e8400-e29b-41d4-a716-446655440002"
      bookingUrl="https://cal.meetergo.com/john-smith/30min-meeting"
      prefill={{ firstname: 'Ada', email: 'ada@example.com' }}
      onSlotSelect={(event) => {
        event.preventDefault(); // e.g. open your own booking dialog instead
        selected.push(`next ${event.detail.start}`);
      }}
    />
  );
}
