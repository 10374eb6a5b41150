/**
 * meetergo-slots: the element and the pieces it is built from. Importing this module defines
 * `<meetergo-slots>` (once; a second definition is skipped).
 */
export { MeetergoSlots } from './meetergo-slots.js';
export {
  MeetergoSlotSelectEvent,
  MeetergoSlotsErrorEvent,
  MeetergoSlotsLoadEvent,
  type SlotSelectDetail,
  type SlotsErrorDetail,
  type SlotsLoadDetail,
} from './events.js';
export { resolveStrings, type SlotsStrings } from './strings.js';
export { SlotsRequestError, windowsUrl, type WindowsAnswer, type WindowsQuery } from './api.js';
export type { HourCycle, Mode, SlotsState, Theme } from './view.js';
