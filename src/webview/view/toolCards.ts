/**
 * Agent steps: one card per tool call (`.tool-card`, `data-state` = waiting / running / done /
 * rejected / failed) with its title in human form, why it asks, its diff (edits), a collapsed
 * result, and — while it waits — Approve / Reject (with optional feedback for the model) and
 * "Always allow <tool> in this workspace"; Kill for a command past its timeout; and, under a step
 * that wrote files, Restore checkpoint. A command's card says whether it runs sandboxed and may
 * offer "Approve with network". Titles, reasons and summaries (a model's command, a path) show
 * their invisible and reordering characters as marked runs (`⟨U+202E RLO⟩`), whole.
 */
import { revealInvisible, textRuns } from '../../protocol/invisibleText';
import type { ChatMessageView, ToolCallView, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { subagentSteps } from './subagentSteps';
import { toolImages } from './toolImages';

type Post = (message: WebviewToHost) => void;

const STATE_LABEL: Readonly<Record<ToolCallView['state'], string>> = {
  waiting: 'Waiting for approval',
  running: 'Running',
  done: 'Done',
  rejected: 'Rejected',
  failed: 'Failed',
};

/** The cards of a step, and its Restore checkpoint button. */
export function toolCards(message: ChatMessageView, post: Post): HTMLElement {
  const list = el(
    'div',
    { className: 'tool-cards' },
    (message.tools ?? []).map((card) => toolCard(card, post)),
  );
  if (message.checkpoint === 'available') {
    const restore = button(
      {
        className: 'restore-checkpoint link',
        label: 'Restore checkpoint',
        title: 'Put the files this step (and later ones) changed back as they were before it',
      },
      [el('span', { text: 'Restore checkpoint' })],
    );
    restore.addEventListener('click', () => post({ type: 'restoreCheckpoint', stepId: message.id }));
    list.append(restore);
  } else if (message.checkpoint === 'restored') {
    list.append(el('div', { className: 'checkpoint-restored', text: 'Checkpoint restored' }));
  }
  return list;
}

function toolCard(card: ToolCallView, post: Post): HTMLElement {
  const node = el('section', {
    className: 'tool-card',
    attrs: {
      'data-state': card.state,
      'data-tool': card.tool,
      'data-call-id': card.id,
      'aria-label': `${revealInvisible(card.title)}: ${STATE_LABEL[card.state]}`,
    },
  });
  const head = el('div', { className: 'tool-head' }, [
    untrusted('span', 'tool-title', card.title),
    el('span', { className: 'tool-state', text: STATE_LABEL[card.state] }),
  ]);
  node.append(head);
  if (card.sandbox)
    node.append(
      el('div', {
        className: 'tool-sandbox',
        text: card.sandbox,
        attrs: { 'data-sandboxed': String(card.sandbox.startsWith('Sandboxed')) },
      }),
    );
  if (card.summary) node.append(untrusted('div', 'tool-summary', card.summary));
  if (card.reason && card.state === 'waiting') node.append(untrusted('div', 'tool-reason', card.reason));
  if (card.diff) node.append(diffView(card.diff));
  if (card.subagent) node.append(subagentSteps(card.subagent, card.state === 'running'));
  if (card.images?.length) node.append(toolImages(card.images));
  if (card.result) {
    const details = el('details', { className: 'tool-result' }, [
      el('summary', { text: 'Result' }),
      el('pre', { text: card.result }),
    ]);
    node.append(details);
  }
  if (card.state === 'waiting') node.append(approvalRow(card, post));
  if (card.killable && card.state === 'running') {
    const kill = button({ className: 'kill-command', label: 'Kill command' }, [el('span', { text: 'Kill' })]);
    kill.addEventListener('click', () => post({ type: 'killCommand', callId: card.id }));
    node.append(kill);
  }
  return node;
}

function approvalRow(card: ToolCallView, post: Post): HTMLElement {
  const feedback = el('textarea', {
    className: 'tool-feedback',
    attrs: {
      // Two rows: at a 290 px sidebar one row cut the hint to "Feedback for the model (optional,".
      rows: '2',
      placeholder: 'Feedback for the model (optional, sent with Reject)',
      'aria-label': 'Feedback for the model',
    },
  });
  const approve = button({ className: 'approve primary', label: 'Approve' }, [el('span', { text: 'Approve' })]);
  const reject = button({ className: 'reject', label: 'Reject' }, [el('span', { text: 'Reject' })]);
  approve.addEventListener('click', () => post({ type: 'toolDecision', callId: card.id, approve: true }));
  reject.addEventListener('click', () => {
    const text = feedback.value.trim();
    post({ type: 'toolDecision', callId: card.id, approve: false, ...(text ? { feedback: text } : {}) });
  });
  const row = el('div', { className: 'tool-actions' }, [approve, reject]);
  if (card.canAllowNetwork) {
    const network = button(
      {
        className: 'approve-network',
        label: 'Approve with network',
        title: 'Run this command with network access (the sandbox has none by default)',
      },
      [el('span', { text: 'Approve with network' })],
    );
    network.addEventListener('click', () =>
      post({ type: 'toolDecision', callId: card.id, approve: true, allowNetwork: true }),
    );
    row.insertBefore(network, reject);
  }
  if (card.canAlwaysAllow) {
    const always = button({ className: 'always-allow link', label: `Always allow ${card.tool} in this workspace` }, [
      el('span', { text: `Always allow ${card.tool} in this workspace` }),
    ]);
    always.addEventListener('click', () =>
      post({ type: 'toolDecision', callId: card.id, approve: true, always: true }),
    );
    row.append(always);
  }
  if (card.server && card.canAlwaysAllow) {
    const label = `Always allow server ${card.server}`;
    const server = button({ className: 'always-allow-server link', label }, [el('span', { text: label })]);
    server.addEventListener('click', () =>
      post({ type: 'toolDecision', callId: card.id, approve: true, alwaysServer: true }),
    );
    row.append(server);
  }
  return el('div', { className: 'tool-approval' }, [feedback, row]);
}

/** An element showing untrusted text whole, each invisible or reordering character as a marked `⟨U+…⟩` run. */
function untrusted(tag: 'span' | 'div', className: string, text: string): HTMLElement {
  const node = el(tag, { className });
  for (const run of textRuns(text)) {
    if ('text' in run) node.append(run.text);
    else
      node.append(
        el('span', {
          className: 'invisible-char',
          text: `⟨${run.label}⟩`,
          attrs: { title: `An invisible character (${run.label}) in text from the model or the workspace` },
        }),
      );
  }
  return node;
}

function diffView(diff: string): HTMLElement {
  const pre = el('pre', { className: 'tool-diff' });
  for (const line of diff.split('\n')) {
    const kind =
      line.startsWith('+++') || line.startsWith('---') || line.startsWith('@@')
        ? 'meta'
        : line.startsWith('+')
          ? 'add'
          : line.startsWith('-')
            ? 'del'
            : 'ctx';
    pre.append(el('span', { className: `diff-${kind}`, text: `${line}\n` }));
  }
  return pre;
}
