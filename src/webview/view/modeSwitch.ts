/**
 * The composer's mode switch (`#mode-switch`): Ask (chat), Plan (the agent only reads, then
 * writes a plan you edit and act on) and Agent (the agent reads, edits and runs, with approval).
 * The pressed button is the mode the host remembers; a click asks the host to switch.
 */
import type { ChatMode, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';

const MODES: readonly { mode: ChatMode; label: string; title: string }[] = [
  { mode: 'ask', label: 'Ask', title: 'Ask: chat with the model' },
  {
    mode: 'plan',
    label: 'Plan',
    title: 'Plan: the model only reads, then writes a plan you can edit and act on',
  },
  { mode: 'agent', label: 'Agent', title: 'Agent: the model reads, edits and runs commands, with your approval' },
];

export class ModeSwitch {
  private readonly buttons = MODES.map(({ mode, label, title }) =>
    button({ id: `mode-${mode}`, className: 'mode-option', label: `${label} mode`, title }, [
      el('span', { text: label }),
    ]),
  );
  readonly element = el(
    'div',
    { id: 'mode-switch', className: 'mode-switch', attrs: { role: 'group', 'aria-label': 'Mode' } },
    this.buttons,
  );
  private mode: ChatMode = 'ask';

  constructor(post: (message: WebviewToHost) => void) {
    MODES.forEach(({ mode }, i) =>
      this.buttons[i]!.addEventListener('click', () => this.mode !== mode && post({ type: 'setMode', mode })),
    );
  }

  set(mode: ChatMode): void {
    this.mode = mode;
    MODES.forEach((m, i) => this.buttons[i]!.setAttribute('aria-pressed', String(m.mode === mode)));
  }
}

/** The composer's words in each mode. */
export const MODE_TEXT: Readonly<Record<ChatMode, { placeholder: string; newLabel: string; newTitle: string }>> = {
  ask: { placeholder: 'Ask anything (Enter to send)', newLabel: 'New chat', newTitle: 'Start a new chat' },
  plan: {
    placeholder: 'Describe what to plan; the model only reads (Enter to start)',
    newLabel: 'New plan',
    newTitle: 'Start a new plan',
  },
  agent: {
    placeholder: 'Describe a task for the agent (Enter to start)',
    newLabel: 'New task',
    newTitle: 'Start a new agent task',
  },
};
