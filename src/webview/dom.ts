/**
 * Small DOM builders. Text always goes through `textContent`; attributes through `setAttribute`
 * (never `style`, which the webview's CSP forbids); no HTML strings.
 */

export interface ElementOptions {
  readonly id?: string;
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: ElementOptions = {},
  children: readonly Node[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.id) node.id = options.id;
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** A `<button type="button">` with an accessible name (and the same tooltip unless given). */
export function button(
  options: ElementOptions & { readonly label: string; readonly title?: string },
  children: readonly Node[] = [],
): HTMLButtonElement {
  const node = el('button', options, children);
  node.type = 'button';
  node.setAttribute('aria-label', options.label);
  node.title = options.title ?? options.label;
  return node;
}

/** Shows or hides an element with the `hidden` attribute. */
export function setVisible(node: HTMLElement, visible: boolean): void {
  node.hidden = !visible;
}
