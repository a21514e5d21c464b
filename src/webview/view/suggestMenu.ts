/**
 * The composer's one suggestion list (`#mention-menu`, a listbox), used by `@` mentions and `/`
 * commands: rows with an icon, a label and a detail; ↑/↓ move, Enter or Tab picks, Esc closes;
 * a mouse press picks without taking the focus from the message box, whose
 * `aria-activedescendant` names the active row.
 */
import { el } from '../dom';
import { icon, type IconName } from '../icons';

export interface MenuRow {
  readonly icon: IconName;
  readonly label: string;
  readonly detail?: string;
  /** `data-*` attributes of the row (for tests and styling): `{ kind: 'file', path: 'src/a.ts' }`. */
  readonly data: Readonly<Record<string, string>>;
}

export class SuggestMenu {
  readonly element = el('div', {
    id: 'mention-menu',
    className: 'mention-menu',
    attrs: { role: 'listbox', 'aria-label': 'Attach context' },
  });
  private rows: readonly MenuRow[] = [];
  private active = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly onPick: (index: number) => void,
  ) {
    this.element.hidden = true;
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Shows `rows` (the first active), or `empty` when there are none; `label` names the list. */
  show(rows: readonly MenuRow[], label: string, empty: string, menu: string): void {
    this.rows = rows;
    this.active = 0;
    this.element.setAttribute('aria-label', label);
    this.element.dataset.menu = menu;
    this.render(empty);
  }

  close(): void {
    this.rows = [];
    this.element.hidden = true;
    this.element.replaceChildren();
    this.input.removeAttribute('aria-activedescendant');
  }

  /** Keys while the list is open; true when the key was used. */
  handleKey(event: KeyboardEvent): boolean {
    if (!this.isOpen || event.isComposing) return false;
    const count = this.rows.length;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!count) return false;
      event.preventDefault();
      this.active = (this.active + (event.key === 'ArrowDown' ? 1 : count - 1)) % count;
      this.markActive();
      return true;
    }
    if ((event.key === 'Enter' || event.key === 'Tab') && !event.shiftKey && count) {
      event.preventDefault();
      this.onPick(this.active);
      return true;
    }
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.close();
      return true;
    }
    return false;
  }

  private render(empty: string): void {
    const rows = this.rows.map((row, index) => {
      const data = Object.fromEntries(Object.entries(row.data).map(([k, v]) => [`data-${k}`, v]));
      const node = el(
        'div',
        {
          id: `mention-${index}`,
          className: 'mention-row',
          attrs: { role: 'option', 'aria-selected': 'false', ...data },
        },
        [
          icon(row.icon),
          el('span', { className: 'mention-label', text: row.label }),
          ...(row.detail ? [el('span', { className: 'mention-detail', text: row.detail })] : []),
        ],
      );
      // mousedown, not click: the box keeps focus (a blur would close the list first).
      node.addEventListener('mousedown', (event) => {
        event.preventDefault();
        this.onPick(index);
      });
      return node;
    });
    this.element.replaceChildren(...(rows.length ? rows : [el('div', { className: 'mention-empty', text: empty })]));
    this.element.hidden = false;
    this.markActive();
  }

  private markActive(): void {
    const rows = [...this.element.querySelectorAll<HTMLElement>('.mention-row')];
    rows.forEach((row, index) => {
      row.classList.toggle('active', index === this.active);
      row.setAttribute('aria-selected', String(index === this.active));
    });
    if (rows.length) this.input.setAttribute('aria-activedescendant', `mention-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
    rows[this.active]?.scrollIntoView({ block: 'nearest' });
  }
}
