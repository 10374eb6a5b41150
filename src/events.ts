/** What `meetergo-slot-select` carries. */
export interface SlotSelectDetail {
  /** The start instant, ISO 8601 UTC (`2024-01-15T09:00:00Z`). */
  start: string;
  /** The slot's day in the display zone, `YYYY-MM-DD`. */
  date: string;
  /** The display zone (IANA). */
  timezone: string;
  /** The slot link's URL, or `null` when slots are buttons. */
  url: string | null;
}

/** What `meetergo-slots-load` carries. */
export interface SlotsLoadDetail {
  /** The page's first displayed day, `YYYY-MM-DD`. */
  startDate: string;
  /** The page's last displayed day, `YYYY-MM-DD`. */
  endDate: string;
  /** The display zone (IANA). */
  timezone: string;
  /** How many slots are shown. */
  count: number;
}

/** What `meetergo-slots-error` carries. */
export interface SlotsErrorDetail {
  /** A short, human description of what went wrong. */
  message: string;
  /** The HTTP status, or `null` when there was none (network failure, timeout, unusable body). */
  status: number | null;
}

const init = { bubbles: true, composed: true } as const;

/** A viewer picked a slot. Cancelable: `preventDefault()` stops the navigation. */
export class MeetergoSlotSelectEvent extends CustomEvent<SlotSelectDetail> {
  static readonly eventName = 'meetergo-slot-select';
  constructor(detail: SlotSelectDetail) {
    super(MeetergoSlotSelectEvent.eventName, { ...init, cancelable: true, detail });
  }
}

/** Slots for a page arrived and rendered. */
export class MeetergoSlotsLoadEvent extends CustomEvent<SlotsLoadDetail> {
  static readonly eventName = 'meetergo-slots-load';
  constructor(detail: SlotsLoadDetail) {
    super(MeetergoSlotsLoadEvent.eventName, { ...init, detail });
  }
}

/** A request failed or its response was unusable. */
export class MeetergoSlotsErrorEvent extends CustomEvent<SlotsErrorDetail> {
  static readonly eventName = 'meetergo-slots-error';
  constructor(detail: SlotsErrorDetail) {
    super(MeetergoSlotsErrorEvent.eventName, { ...init, detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'meetergo-slot-select': MeetergoSlotSelectEvent;
    'meetergo-slots-load': MeetergoSlotsLoadEvent;
    'meetergo-slots-error': MeetergoSlotsErrorEvent;
  }
}
