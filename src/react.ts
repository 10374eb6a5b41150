'use client';
/**
 * `meetergo-slots/react`: `<meetergo-slots>` as a typed React component (`@lit/react`), with
 * every property of the element as a prop and its events as `onSlotSelect`, `onSlotsLoad` and
 * `onSlotsError`. Properties and listeners are set on the element in a layout effect, so they
 * are there after server rendering and hydration too (React itself sets none of them while it
 * hydrates a custom element). See the README, "React" and "Next.js".
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import { MeetergoSlots as MeetergoSlotsElement } from './meetergo-slots.js';
import {
  MeetergoSlotSelectEvent,
  MeetergoSlotsErrorEvent,
  MeetergoSlotsLoadEvent,
} from './events.js';

export type {
  SlotSelectDetail,
  SlotsErrorDetail,
  SlotsLoadDetail,
  MeetergoSlotSelectEvent,
  MeetergoSlotsErrorEvent,
  MeetergoSlotsLoadEvent,
} from './events.js';

/** `<meetergo-slots>` for React: `<MeetergoSlots proxyUrl="/api/meetergo" userId="…" onSlotSelect={…} />`. */
export const MeetergoSlots = createComponent({
  react: React,
  tagName: 'meetergo-slots',
  elementClass: MeetergoSlotsElement,
  events: {
    /** A viewer picked a slot; `event.preventDefault()` stops the navigation. */
    onSlotSelect: MeetergoSlotSelectEvent.eventName as EventName<MeetergoSlotSelectEvent>,
    /** Slots for a page arrived and rendered. */
    onSlotsLoad: MeetergoSlotsLoadEvent.eventName as EventName<MeetergoSlotsLoadEvent>,
    /** A request failed or its answer was unusable. */
    onSlotsError: MeetergoSlotsErrorEvent.eventName as EventName<MeetergoSlotsErrorEvent>,
  },
  displayName: 'MeetergoSlots',
});

/** The props of `MeetergoSlots`: the element's properties, its events and React's own (`ref`, `className`, …). */
export type MeetergoSlotsProps = React.ComponentProps<typeof MeetergoSlots>;
