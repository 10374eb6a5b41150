import type {} from 'meetergo-slots/jsx/solid';
import 'meetergo-slots';

export const view = (
  <meetergo-slots
    proxy-url="/api/meetergo"
    user-id="550e8400-e29b-41d4-a716-446655440000"
    prop:prefill={{ firstname: 'Ada' }}
    on:meetergo-slot-select={(event) => event.detail.start.toUpperCase()}
  />
);
// @ts-expect-error `days` is a number
export const wrong = <meetergo-slots prop:days="seven" />;
