/** Inline 16×16 SVG icons drawn with `currentColor`, built with the DOM (no markup strings). */

const SVG_NS = 'http://www.w3.org/2000/svg';

interface IconShape {
  /** Paths drawn as 1.3px strokes. */
  readonly stroke?: readonly string[];
  /** Paths filled with the current colour. */
  readonly fill?: readonly string[];
}

const ICONS = {
  send: { fill: ['M1.6 1.6 14.8 8 1.6 14.4l1.9-5.7L9.4 8 3.5 7.3z'] },
  stop: { fill: ['M4.5 3.5h7a1 1 0 0 1 1 1v7a1 1 0 0 1-1 1h-7a1 1 0 0 1-1-1v-7a1 1 0 0 1 1-1z'] },
  add: { stroke: ['M8 2.5v11M2.5 8h11'] },
  close: { stroke: ['M4 4l8 8M12 4l-8 8'] },
  copy: { stroke: ['M5.5 5.5h7v8h-7z', 'M3.5 10.5v-8h7'] },
  check: { stroke: ['M3 8.5l3 3 7-7'] },
  insert: { stroke: ['M8 2v7.5M4.8 6.5 8 9.7l3.2-3.2', 'M2.5 13.5h11'] },
  chevron: { stroke: ['M4.5 6.5 8 10l3.5-3.5'] },
  file: { stroke: ['M4 1.8h5l3 3v9.4H4z', 'M9 1.8v3h3'] },
  selection: { stroke: ['M2.5 4h11M2.5 8h8M2.5 12h5'] },
  retry: { stroke: ['M13 8a5 5 0 1 1-1.6-3.7', 'M13 2.3v3.2H9.8'] },
  error: {
    stroke: ['M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8z', 'M8 4.6v4.2'],
    fill: ['M8 10.3a.9.9 0 1 0 0 1.8.9.9 0 0 0 0-1.8z'],
  },
  key: { stroke: ['M5.5 8.5a3 3 0 1 0 0 6 3 3 0 0 0 0-6z', 'M7.6 9.4 13.5 3.5', 'M11 6l1.8 1.8', 'M12.5 4.5l1.5 1.5'] },
  route: {
    stroke: ['M1.5 8H5', 'M5 8c2.6 0 3.4-4.5 6.5-4.5h3', 'M5 8c2.6 0 3.4 4.5 6.5 4.5h3'],
    fill: ['M5 6.6a1.4 1.4 0 1 0 0 2.8 1.4 1.4 0 0 0 0-2.8z'],
  },
  sparkle: {
    fill: [
      'M8 1.5c.4 2.9 1.6 4.1 4.5 4.5-2.9.4-4.1 1.6-4.5 4.5-.4-2.9-1.6-4.1-4.5-4.5 2.9-.4 4.1-1.6 4.5-4.5zM12.5 10c.2 1.4.8 2 2.2 2.2-1.4.2-2 .8-2.2 2.2-.2-1.4-.8-2-2.2-2.2 1.4-.2 2-.8 2.2-2.2z',
    ],
  },
  arrowDown: { stroke: ['M8 2.5v10.5M3.8 8.8 8 13l4.2-4.2'] },
  diff: { stroke: ['M5 2v6M2 5h6', 'M2.5 12.5h6', 'M10.5 2.5h3v11h-3'] },
  terminal: { stroke: ['M1.8 2.8h12.4v10.4H1.8z', 'M4.5 6l2 2-2 2', 'M8 10.5h3.5'] },
  apply: { stroke: ['M2.5 3.5h5M2.5 6.5h5', 'M2.5 9.5h3', 'M8.5 11l2 2 3.5-4.5'] },
  history: { stroke: ['M2.6 8a5.4 5.4 0 1 0 1.6-3.8', 'M2.3 2.6v2.9h2.9', 'M8 5v3.2l2.2 1.4'] },
  newFile: { stroke: ['M4 1.8h5l3 3v9.4H4z', 'M9 1.8v3h3', 'M8 7.5v4.5M5.8 9.8h4.4'] },
  image: {
    stroke: ['M2 2.8h12v10.4H2z', 'M2.5 11.5l3.5-3.5 2.5 2.5 2-2 3 3'],
    fill: ['M10.5 4.8a1.2 1.2 0 1 0 0 2.4 1.2 1.2 0 0 0 0-2.4z'],
  },
  paperclip: {
    stroke: ['M10.5 4.5 5.6 9.4a1.4 1.4 0 0 0 2 2l5.2-5.2a2.8 2.8 0 0 0-4-4L3.6 7.4a4.2 4.2 0 0 0 6 6l4.4-4.4'],
  },
  globe: {
    stroke: [
      'M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8z',
      'M1.8 8h12.4',
      'M8 1.8c-3.2 3.4-3.2 9 0 12.4M8 1.8c3.2 3.4 3.2 9 0 12.4',
    ],
  },
  /** An MCP server's resource or prompt. */
  plug: { stroke: ['M5.5 1.8v3M10.5 1.8v3', 'M3.5 4.8h9v2.7a4.5 4.5 0 0 1-9 0z', 'M8 12v2.2'] },
  /** A built-in `/` command. */
  slash: { stroke: ['M10.5 2.5 5.5 13.5'] },
  /** A skill, an instruction file. */
  book: {
    stroke: [
      'M2.5 3h4a1.5 1.5 0 0 1 1.5 1.5v9A1.5 1.5 0 0 0 6.5 12h-4z',
      'M13.5 3h-4A1.5 1.5 0 0 0 8 4.5v9A1.5 1.5 0 0 1 9.5 12h4z',
    ],
  },
} satisfies Record<string, IconShape>;

export type IconName = keyof typeof ICONS;

/** A decorative icon (hidden from assistive technology). */
export function icon(name: IconName): SVGSVGElement {
  const shape: IconShape = ICONS[name];
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  for (const d of shape.stroke ?? []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.3');
    path.setAttribute('stroke-linecap', 'round');
    path.setAttribute('stroke-linejoin', 'round');
    svg.append(path);
  }
  for (const d of shape.fill ?? []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    path.setAttribute('fill', 'currentColor');
    svg.append(path);
  }
  return svg;
}
