/**
 * Code blocks in answers get a toolbar: the language, "Copy", "Insert" (at the editor cursor),
 * "Apply" (a diff first, then the edit on accept) and "New file". The buttons are built here,
 * after sanitizing, so model output can never forge them; clicks are handled by one delegated
 * listener ({@link handleCodeBlockClick}).
 */
import type { CodeUseView, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { icon } from '../icons';

const COPIED_FEEDBACK_MS = 1500;

/** Wraps every `<pre>` under `root` in a `.code-block` with its toolbar. */
export function decorateCodeBlocks(root: ParentNode): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const code = pre.querySelector('code');
    const language = languageOf(code);
    const block = el('div', { className: 'code-block', attrs: { 'data-lang': language } });
    const toolbar = el('div', { className: 'code-toolbar' }, [
      el('span', { className: 'code-lang', text: language || 'text' }),
      el('span', { className: 'code-toolbar-spacer' }),
      button(
        {
          className: 'code-action apply',
          label: 'Apply code',
          title: 'Apply: review the change in a diff, then accept or discard it',
        },
        [icon('apply'), el('span', { className: 'code-action-label', text: 'Apply' })],
      ),
      button(
        { className: 'code-action insert', label: 'Insert code at cursor', title: 'Insert at the editor cursor' },
        [icon('insert'), el('span', { className: 'code-action-label', text: 'Insert' })],
      ),
      button(
        { className: 'code-action new-file', label: 'Open code in a new file', title: 'Open in a new untitled file' },
        [icon('newFile'), el('span', { className: 'code-action-label', text: 'New file' })],
      ),
      button({ className: 'code-action copy', label: 'Copy code', title: 'Copy to clipboard' }, [
        icon('copy'),
        el('span', { className: 'code-action-label', text: 'Copy' }),
      ]),
    ]);
    pre.replaceWith(block);
    block.append(toolbar, pre);
  }
}

function languageOf(code: Element | null): string {
  for (const name of Array.from(code?.classList ?? []))
    if (name.startsWith('language-')) return name.slice('language-'.length);
  return '';
}

/** The code of a block as written by the model (without the fence's final newline). */
export function codeOf(block: Element): string {
  const text = block.querySelector('pre')?.textContent ?? '';
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** Handles a click inside the message list; true when it was a code block action. */
export function handleCodeBlockClick(target: Element, post: (message: WebviewToHost) => void): boolean {
  const action = target.closest('.code-block button.code-action');
  const block = action?.closest('.code-block');
  if (!action || !block) return false;
  const code = codeOf(block);
  const language = block.getAttribute('data-lang') ?? '';
  if (action.classList.contains('copy')) {
    post({ type: 'copyCode', code });
    showCopied(action);
  } else if (action.classList.contains('apply')) {
    const messageId = block.closest('.message')?.getAttribute('data-id');
    if (messageId) post({ type: 'applyCode', messageId, code, language });
  } else if (action.classList.contains('use-code')) {
    const messageId = block.closest('.message')?.getAttribute('data-id');
    if (messageId) post({ type: 'useCode', messageId, code });
  } else if (action.classList.contains('new-file')) {
    const messageId = block.closest('.message')?.getAttribute('data-id');
    post({ type: 'newFile', code, language, ...(messageId ? { messageId } : {}) });
  } else {
    post({ type: 'insertCode', code });
  }
  return true;
}

/** Apply buttons of an answer to Fix / Refactor / Add Docs say which lines they replace. */
export function labelApplyButtons(root: ParentNode, target: string | undefined): void {
  if (!target) return;
  for (const apply of Array.from(root.querySelectorAll('.code-block button.apply')))
    apply.setAttribute('title', `Apply to ${target}: review the change in a diff, then accept or discard it`);
}

/**
 * Answers whose code is not an edit of the editor (Add Tests, Generate Commit Message): each
 * block's Apply becomes the right primary action ("Create test file", "Use as commit message"),
 * so Apply can never propose replacing the selected code with tests.
 */
export function useCodeButtons(root: ParentNode, use: CodeUseView | undefined): void {
  if (!use) return;
  for (const block of Array.from(root.querySelectorAll('.code-block'))) {
    if (block.querySelector('button.use-code')) continue;
    const [label, title, glyph] =
      use.kind === 'createFile'
        ? ([
            'Create test file',
            `Create ${use.path} with this code (or review a diff if it exists)`,
            'newFile',
          ] as const)
        : (['Use as commit message', 'Put this text in the Source Control commit message box', 'check'] as const);
    const primary = button({ className: 'code-action use-code primary-action', label, title }, [
      icon(glyph),
      el('span', { className: 'code-action-label', text: label }),
    ]);
    const apply = block.querySelector('button.apply');
    if (apply) apply.replaceWith(primary);
    else block.querySelector('.code-toolbar-spacer')?.after(primary);
  }
}

function showCopied(action: Element): void {
  const label = action.querySelector('.code-action-label');
  const glyph = action.querySelector('svg');
  if (!label || !glyph) return;
  action.classList.add('done');
  label.textContent = 'Copied';
  glyph.replaceWith(icon('check'));
  setTimeout(() => {
    action.classList.remove('done');
    label.textContent = 'Copy';
    action.querySelector('svg')?.replaceWith(icon('copy'));
  }, COPIED_FEEDBACK_MS);
}
