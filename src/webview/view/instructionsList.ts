/**
 * The instruction files the next message (Ask) or task (Agent) reads, listed above the message
 * box (`#instructions`): each a link that opens the file; a file turned off (Switchyard:
 * Instruction Files) is shown struck through. Hidden when there are none. A label is a path of the
 * repository (a nested AGENTS.md's folder): its invisible and reordering characters are shown
 * as marked runs, and a long one is cut with an ellipsis (the tooltip has it whole).
 */
import type { InstructionFileView, WebviewToHost } from '../../protocol/messages';
import { revealInvisible } from '../../protocol/invisibleText';
import { button, el } from '../dom';
import { icon } from '../icons';

export class InstructionsList {
  readonly element = el('div', {
    id: 'instructions',
    className: 'instructions',
    attrs: { role: 'group', 'aria-label': 'Instruction files in effect' },
  });

  constructor(private readonly post: (message: WebviewToHost) => void) {
    this.element.hidden = true;
  }

  set(files: readonly InstructionFileView[]): void {
    const links = files.map((file) => {
      const shown = revealInvisible(file.label);
      const link = button(
        {
          className: `instruction-file link-button${file.on ? '' : ' off'}`,
          label: file.on ? `Open ${shown}` : `Open ${shown} (turned off)`,
          title: file.on
            ? `Read for the next message. Open ${shown}`
            : `Turned off for this workspace (Switchyard: Instruction Files). Open ${shown}`,
          attrs: { 'data-label': file.label, 'data-on': String(file.on) },
        },
        [el('span', { text: shown })],
      );
      link.addEventListener('click', () => this.post({ type: 'openInstructions', label: file.label }));
      return link;
    });
    this.element.replaceChildren(
      icon('book'),
      el('span', { className: 'instructions-title', text: 'Instructions:' }),
      ...links,
    );
    this.element.hidden = files.length === 0;
  }
}
