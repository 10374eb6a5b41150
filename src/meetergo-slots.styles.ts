import { css } from 'lit';

/**
 * Public `--meetergo-slots-*` properties are read once, on :host, into private `--_*` names
 * whose defaults follow the colour scheme (light-dark()); everything below uses the private
 * names only. The layout follows the element's own width: the element picks wide or narrow
 * markup at 36rem, and container queries size what is inside.
 */
export const styles = css`
  :host {
    display: block;
    container: slots / inline-size;
    --_accent: var(--meetergo-slots-accent, light-dark(#0b5cd5, #8ab4ff));
    --_accent-text: var(--meetergo-slots-accent-text, light-dark(#fff, #0b1220));
    --_bg: var(--meetergo-slots-background, light-dark(#fff, #1c1d21));
    --_text: var(--meetergo-slots-text, light-dark(#1d1d1f, #f1f3f4));
    --_muted: var(--meetergo-slots-muted, light-dark(#5f6368, #a8adb4));
    --_border: var(--meetergo-slots-border, light-dark(#d2d5da, #3c4043));
    --_radius: var(--meetergo-slots-radius, 0.5rem);
    --_font: var(--meetergo-slots-font, inherit);
  }
  :host([hidden]) {
    display: none;
  }
  .root {
    color-scheme: light dark;
    position: relative;
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_text);
    font: 0.9375rem/1.4 var(--_font);
    padding: 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .light {
    color-scheme: light;
  }
  .dark {
    color-scheme: dark;
  }
  * {
    box-sizing: inherit;
  }
  .gauge {
    position: absolute;
    inset-inline: 0;
    block-size: 0;
  }
  button,
  a,
  select,
  input {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    background: none;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
    padding: 0.25rem 0.625rem;
  }
  [part~='header'] {
    display: flex;
    flex-wrap: wrap-reverse;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem 1rem;
    margin-block-end: 1rem;
  }
  [part~='timezone'] {
    color: var(--_muted);
    font-size: 0.875em;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.5rem;
  }
  .change-zone {
    border: 0;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
  }
  select,
  input {
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 1.5);
    padding: 0.25rem;
    max-inline-size: 100%;
  }
  [part~='nav'] {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    font-weight: 600;
  }
  [part~='nav'] button {
    inline-size: 2.25rem;
    block-size: 2.25rem;
    padding: 0;
    border-radius: 50%;
    font-size: 1.25rem;
    line-height: 1;
  }
  [aria-disabled='true'] {
    cursor: default;
    opacity: 0.4;
  }
  .days {
    display: grid;
    gap: 1rem 0.375rem;
    grid-template-columns: repeat(auto-fit, minmax(4.25rem, 1fr));
    align-items: start;
  }
  .days.grid {
    grid-template-columns: 1fr 1fr;
    gap: 0.375rem;
  }
  [part~='day'],
  [part~='day-empty'] {
    display: flex;
    flex-direction: column;
    gap: 0.375rem;
    min-inline-size: 0;
  }
  [part~='day-heading'] {
    font-size: 0.8125em;
    font-weight: 600;
    text-align: center;
    text-wrap: balance;
    padding-block-end: 0.25rem;
  }
  .wide [part~='today'] [part~='day-heading'] {
    color: var(--_accent);
  }
  .narrow [part~='day-heading'] {
    text-align: start;
  }
  .slots {
    display: grid;
    gap: 0.375rem;
  }
  .narrow .slots {
    grid-template-columns: 1fr 1fr;
  }
  @container slots (min-width: 22rem) {
    .narrow .slots {
      grid-template-columns: repeat(3, 1fr);
    }
  }
  @container slots (max-width: 24rem) {
    .root {
      padding: 0.75rem;
    }
    .strip {
      gap: 0.125rem;
    }
  }
  [part~='slot'] {
    display: block;
    min-inline-size: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    font-size: 0.875em;
    padding: 0.5rem 0.125rem;
    border: 1px solid var(--_accent);
    border-radius: calc(var(--_radius) / 1.5);
    color: var(--_accent);
    font-weight: 600;
    text-align: center;
    text-decoration: none;
    white-space: nowrap;
    transition: 0.12s ease;
    transition-property: background-color, color;
  }
  [part~='slot']:hover,
  [part~='picked'] {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  [part~='slot']:disabled {
    cursor: default;
    opacity: 0.5;
  }
  .none {
    color: var(--_muted);
    font-size: 0.8125em;
    text-align: center;
  }
  [part~='more'],
  .jump {
    border: 0;
    padding: 0.25rem;
    color: var(--_accent);
    font-size: 0.875em;
    font-weight: 600;
  }
  .strip {
    display: grid;
    grid-auto-flow: column;
    grid-auto-columns: minmax(2.125rem, 1fr);
    gap: 0.25rem;
    overflow-x: auto;
    margin-block-end: 0.75rem;
  }
  [part~='day-tab'] {
    display: flex;
    flex-direction: column;
    align-items: center;
    padding: 0.375rem 0;
    min-inline-size: 0;
    font-size: 0.75em;
  }
  [part~='day-tab'] b {
    font-size: 1.25em;
  }
  [part~='day-tab']:disabled {
    cursor: default;
    color: var(--_muted);
    border-style: dashed;
  }
  [part~='day-tab'][part~='today'] {
    border-color: var(--_accent);
  }
  [part~='selected'] {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .root:focus {
    outline-offset: -2px;
  }
  [part~='status'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-block-end: 0.75rem;
    color: var(--_muted);
  }
  [part~='error'],
  [part~='misconfigured'] {
    color: var(--_text);
  }
  .placeholder-day {
    display: grid;
    gap: 0.375rem;
  }
  .placeholder {
    block-size: 2.25rem;
    border-radius: calc(var(--_radius) / 1.5);
    background: var(--_border);
    opacity: 0.4;
  }
  .pulse {
    animation: pulse 1s ease-in-out 0.5s infinite alternate;
  }
  .placeholder.heading {
    block-size: 1.25rem;
  }
  .strip-placeholder {
    display: block;
    block-size: 3.25rem;
    margin-block-end: 2.5rem;
  }
  @keyframes pulse {
    to {
      opacity: 0.375;
    }
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  @media (prefers-reduced-motion: reduce) {
    * {
      transition: none !important;
      animation: none !important;
    }
  }
  @media (forced-colors: active) {
    .root,
    button,
    [part~='slot'] {
      border-color: ButtonText;
    }
    [part~='slot'] {
      color: LinkText;
    }
    [part~='slot']:hover,
    [part~='picked'],
    [part~='selected'] {
      background: Highlight;
      color: HighlightText;
      forced-color-adjust: none;
    }
    [part~='day-tab']:disabled,
    [aria-disabled='true'] {
      color: GrayText;
    }
    .placeholder {
      background: GrayText;
    }
  }
`;
