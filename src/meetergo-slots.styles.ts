import { css } from 'lit';

/**
 * Public `--meetergo-slots-*` properties are read once, on :host, into private `--_*` names
 * whose defaults follow the colour scheme (light-dark());
 * everything below uses the private names only. Defaults are deliberately plain: every style
 * we ship is one a customer may have to override.
 */
export const styles = css`
  :host {
    display: block;
    --_accent: var(--meetergo-slots-accent, light-dark(#0b5cd5, #7fb0ff));
    --_accent-text: var(--meetergo-slots-accent-text, light-dark(#ffffff, #0b1220));
    --_bg: var(--meetergo-slots-background, light-dark(#ffffff, #1c1d21));
    --_text: var(--meetergo-slots-text, light-dark(#1d1d1f, #f1f3f4));
    --_muted: var(--meetergo-slots-muted, light-dark(#5f6368, #a8adb4));
    --_border: var(--meetergo-slots-border, light-dark(#d2d5da, #3c4043));
    --_radius: var(--meetergo-slots-radius, 8px);
    --_font: var(--meetergo-slots-font, inherit);
  }
  /* light-dark() above picks by the colour scheme: theme="auto" follows the viewer's preference. */
  .root {
    color-scheme: light dark;
  }
  .root.light {
    color-scheme: light;
  }
  .root.dark {
    color-scheme: dark;
  }
  :host([hidden]) {
    display: none;
  }
  .root {
    container: slots / inline-size;
    box-sizing: border-box;
    background: var(--_bg);
    color: var(--_text);
    font-family: var(--_font);
    font-size: 0.9375rem;
    line-height: 1.4;
    padding: 0.75rem;
    border-radius: var(--_radius);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [part~='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5rem;
    margin-block-end: 0.75rem;
  }
  [part~='timezone'] {
    color: var(--_muted);
    font-size: 0.875em;
    display: inline-flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.375rem;
  }
  select {
    font: inherit;
    color: var(--_text);
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.125rem 0.25rem;
    max-inline-size: 16rem;
  }
  [part~='nav'] {
    display: flex;
    gap: 0.375rem;
  }
  button,
  a {
    font: inherit;
  }
  [part~='nav'] button,
  [part~='retry'],
  .jump,
  .change-zone {
    cursor: pointer;
    color: var(--_text);
    background: transparent;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) / 2);
    padding: 0.25rem 0.625rem;
  }
  [part~='nav'] button:disabled {
    cursor: default;
    opacity: 0.45;
  }
  .days {
    display: grid;
    gap: 0.75rem;
    grid-template-columns: 1fr;
  }
  @container slots (min-width: 36rem) {
    .days {
      grid-template-columns: repeat(auto-fit, minmax(7.5rem, 1fr));
      align-items: start;
    }
  }
  [part~='day'] {
    display: flex;
    flex-direction: column;
    gap: 0.375rem;
    min-inline-size: 0;
  }
  [part~='day-heading'] {
    margin: 0;
    font-size: 0.875em;
    font-weight: 600;
  }
  .slots {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375rem;
  }
  @container slots (min-width: 36rem) {
    .slots {
      flex-direction: column;
    }
  }
  [part~='slot'] {
    display: inline-block;
    min-inline-size: 5.5rem;
    padding: 0.375rem 0.625rem;
    border: 1px solid var(--_accent);
    border-radius: calc(var(--_radius) / 2);
    color: var(--_accent);
    background: transparent;
    text-align: center;
    text-decoration: none;
    cursor: pointer;
    transition:
      background-color 120ms ease,
      color 120ms ease;
  }
  [part~='slot']:hover {
    background: var(--_accent);
    color: var(--_accent-text);
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  [part~='status'] {
    color: var(--_muted);
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
    margin-block: 0.5rem;
  }
  .placeholder {
    display: block;
    block-size: 2.125rem;
    border-radius: calc(var(--_radius) / 2);
    background: var(--_border);
    opacity: 0.35;
  }
  .placeholder.heading {
    block-size: 1.25rem;
    inline-size: 60%;
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
    [part~='slot'] {
      transition: none;
    }
  }
  @media (forced-colors: active) {
    [part~='slot'],
    [part~='nav'] button,
    [part~='retry'] {
      border-color: ButtonText;
      color: LinkText;
    }
    [part~='slot']:hover {
      background: Highlight;
      color: HighlightText;
    }
    .placeholder {
      background: GrayText;
    }
  }
`;
