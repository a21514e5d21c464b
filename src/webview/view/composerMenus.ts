/**
 * What the composer's suggestion list offers: `@` mentions anywhere in the message (attach
 * context, MCP resources under their server) and `/` commands at its start (built-ins, skills,
 * MCP prompts). The host answers each query (`mentionResults` / `slashResults`, stale answers
 * ignored); picking a row attaches, inserts or runs it.
 */
import type { MentionItem, SlashItem, WebviewToHost } from '../../protocol/messages';
import type { IconName } from '../icons';
import { mentionAt, removeMention, replaceMention, slashAt, type MentionToken } from '../mentionToken';
import { SuggestMenu, type MenuRow } from './suggestMenu';

export interface MenuHooks {
  readonly post: (message: WebviewToHost) => void;
  /** Puts `text` in the box with the caret at `caret` (and focuses it). */
  readonly setText: (text: string, caret: number) => void;
  /** Puts `text` in the box and sends it (a built-in such as `/compact`). */
  readonly sendText: (text: string) => void;
  readonly clearNotice: () => void;
}

type Open =
  | { readonly trigger: '@'; readonly token: MentionToken; readonly id: number; readonly items: readonly MentionItem[] }
  | { readonly trigger: '/'; readonly token: MentionToken; readonly id: number; readonly items: readonly SlashItem[] };

const MENTION_ICONS: Readonly<Record<MentionItem['kind'], IconName>> = {
  file: 'file',
  open: 'file',
  selection: 'selection',
  problems: 'error',
  workspaceProblems: 'error',
  diff: 'diff',
  terminal: 'terminal',
  image: 'image',
  resource: 'plug',
};

const SLASH_ICONS: Readonly<Record<SlashItem['action']['kind'], IconName>> = {
  newChat: 'slash',
  send: 'slash',
  command: 'slash',
  skill: 'book',
  prompt: 'plug',
};

export class ComposerMenus {
  readonly menu: SuggestMenu;
  private open: Open | undefined;
  private nextQueryId = 0;

  constructor(
    private readonly input: HTMLTextAreaElement,
    private readonly hooks: MenuHooks,
  ) {
    this.menu = new SuggestMenu(input, (index) => this.pick(index));
  }

  /** Looks at the text before the caret: a `/` command at the start, else an `@` mention, else closes. */
  update(): void {
    const { selectionStart, selectionEnd, value } = this.input;
    const caret = selectionStart === selectionEnd ? selectionStart : -1;
    const slash = caret >= 0 ? slashAt(value, caret) : undefined;
    const mention = !slash && caret >= 0 ? mentionAt(value, caret) : undefined;
    if (!slash && !mention) return this.close();
    const id = ++this.nextQueryId;
    if (slash) {
      this.open = { trigger: '/', token: slash, id, items: this.open?.trigger === '/' ? this.open.items : [] };
      this.hooks.post({ type: 'slashQuery', id, query: slash.query });
    } else if (mention) {
      this.open = { trigger: '@', token: mention, id, items: this.open?.trigger === '@' ? this.open.items : [] };
      this.hooks.post({ type: 'mentionQuery', id, query: mention.query });
    }
  }

  close(): void {
    this.open = undefined;
    this.menu.close();
  }

  handleKey(event: KeyboardEvent): boolean {
    return this.open !== undefined && this.menu.handleKey(event);
  }

  /** The host's rows for a mention query; stale answers (an older query) are ignored. */
  setMentionResults(id: number, items: readonly MentionItem[]): void {
    if (this.open?.trigger !== '@' || this.open.id !== id) return;
    this.open = { ...this.open, items };
    const rows = items.map((item): MenuRow => ({
      icon: MENTION_ICONS[item.kind],
      label: item.label,
      ...(item.detail ? { detail: item.detail } : {}),
      data: {
        kind: item.kind,
        ...(item.path ? { path: item.path } : {}),
        ...(item.server ? { server: item.server } : {}),
        ...(item.starting ? { starting: 'true' } : {}),
      },
    }));
    const empty = this.open.token.query.startsWith('file:') ? 'No matching files' : 'Nothing to attach matches';
    this.menu.show(rows, 'Attach context', empty, 'mention');
  }

  /** The host's rows for a `/` query; stale answers are ignored. */
  setSlashResults(id: number, items: readonly SlashItem[]): void {
    if (this.open?.trigger !== '/' || this.open.id !== id) return;
    this.open = { ...this.open, items };
    const rows = items.map((item): MenuRow => ({
      icon: SLASH_ICONS[item.action.kind],
      label: `/${item.name}`,
      ...(item.detail ? { detail: item.detail } : {}),
      data: { kind: item.action.kind, name: item.name },
    }));
    this.menu.show(rows, 'Commands', 'No command, skill or MCP prompt matches', 'slash');
  }

  private pick(index: number): void {
    const open = this.open;
    if (!open) return;
    if (open.trigger === '@') {
      const item = open.items[index];
      if (item) this.pickMention(open.token, item);
    } else {
      const item = open.items[index];
      if (item) this.pickSlash(open.token, item);
    }
  }

  private pickMention(token: MentionToken, item: MentionItem): void {
    if (item.needsQuery) {
      const next = replaceMention(this.input.value, token, `${item.kind}:`);
      this.hooks.setText(next.text, next.caret);
      this.update();
      return;
    }
    const next = removeMention(this.input.value, token);
    this.hooks.setText(next.text, next.caret);
    this.close();
    this.hooks.clearNotice();
    this.hooks.post({
      type: 'attachMention',
      kind: item.kind,
      ...(item.path ? { path: item.path } : {}),
      ...(item.server ? { server: item.server } : {}),
    });
  }

  private pickSlash(token: MentionToken, item: SlashItem): void {
    const action = item.action;
    this.close();
    this.hooks.clearNotice();
    if (action.kind === 'send') return this.hooks.sendText(action.text);
    if (action.kind === 'skill') {
      // The skill's name stays in the message; its instructions are attached as a chip.
      const text = `${this.input.value.slice(0, token.start)}/${item.name} ${this.input.value.slice(token.end).trimStart()}`;
      this.hooks.setText(text, token.start + item.name.length + 2);
      this.hooks.post({ type: 'slashPick', kind: 'skill', name: action.name ?? item.name });
      return;
    }
    const rest = removeMention(this.input.value, token);
    this.hooks.setText(rest.text, rest.caret);
    if (action.kind === 'newChat') this.hooks.post({ type: 'newChat' });
    else if (action.kind === 'command') this.hooks.post({ type: 'runCommand', command: action.command });
    else this.hooks.post({ type: 'slashPick', kind: 'prompt', name: item.name, server: action.server });
  }
}
