/**
 * Restore checkpoint: the files written at a step and later go back to their state before it (one
 * undoable edit), the step cards say so, and the model is told on its next turn (the note
 * returned). A step that cannot be restored says why under the composer. Pure.
 */
import type { HostToWebview } from '../protocol/messages';
import type { TurnLogger } from '../turn/env';
import type { Checkpoints, FileBefore } from './checkpoints';
import type { TaskView } from './taskView';

export interface RestoreDeps {
  readonly checkpoints: Checkpoints;
  readonly view: TaskView;
  /** Writes the files back; an error text when it could not. */
  write(files: readonly FileBefore[]): Promise<string | undefined>;
  post(message: HostToWebview): void;
  readonly log: TurnLogger;
}

/** How the note for the model starts (a compaction tells it from the user's own messages). */
export const RESTORED_NOTE_LEAD = 'The user restored the checkpoint from before step';

/** Restores the checkpoint before `stepId`; the note for the model, or undefined when nothing was restored. */
export async function restoreCheckpoint(stepId: string, deps: RestoreDeps): Promise<string | undefined> {
  const plan = deps.checkpoints.restorePlan(stepId);
  if (!plan) {
    deps.post({
      type: 'composerNotice',
      level: 'error',
      text: `This step cannot be restored: ${deps.checkpoints.whyNot(stepId)}.`,
    });
    return undefined;
  }
  const error = await deps.write(plan);
  if (error) {
    deps.post({ type: 'composerNotice', level: 'error', text: `Restore failed: ${error}` });
    return undefined;
  }
  const messages = deps.view.messages;
  const index = messages.findIndex((m) => m.id === stepId);
  deps.checkpoints.forgetFrom(stepId);
  for (const m of messages.slice(index))
    if (m.checkpoint === 'available') deps.view.update({ ...m, checkpoint: 'restored' });
  const stepNumber = messages.slice(0, index + 1).filter((m) => m.role === 'assistant' && m.tools).length;
  deps.log.info(`agent: restored the checkpoint before step ${stepNumber} (${plan.length} files)`);
  deps.post({
    type: 'composerNotice',
    level: 'info',
    text: `Restored ${plan.map((f) => f.path).join(', ')} to before step ${stepNumber}.`,
  });
  return `${RESTORED_NOTE_LEAD} ${stepNumber}: ${plan.map((f) => f.path).join(', ')} ${plan.length === 1 ? 'is' : 'are'} back to ${plan.length === 1 ? 'its' : 'their'} earlier content (changes made at that step and after were undone). Read files again before editing them.`;
}
