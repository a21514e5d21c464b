/**
 * Restore checkpoint: the files written at a step and later go back to their state before it (one
 * undoable edit); the steps' cards say "restored", and the model is told on its next turn. Pure.
 */
import type { AgentEnvironment } from './agentEnv';
import type { Checkpoints } from './checkpoints';
import type { TaskView } from './taskView';

/** Restores the checkpoint before `stepId`; the note for the model, or undefined when nothing was restored (said to the user). */
export async function restoreCheckpoint(
  env: Pick<AgentEnvironment, 'tools' | 'post' | 'log'>,
  view: TaskView,
  checkpoints: Checkpoints,
  stepId: string,
): Promise<string | undefined> {
  const plan = checkpoints.restorePlan(stepId);
  if (!plan) {
    env.post({
      type: 'composerNotice',
      level: 'error',
      text: `This step cannot be restored: ${checkpoints.whyNot(stepId)}.`,
    });
    return undefined;
  }
  const error = await env.tools.write(plan);
  if (error) {
    env.post({ type: 'composerNotice', level: 'error', text: `Restore failed: ${error}` });
    return undefined;
  }
  const messages = view.messages;
  const index = messages.findIndex((m) => m.id === stepId);
  checkpoints.forgetFrom(stepId);
  for (const m of messages.slice(index))
    if (m.checkpoint === 'available') view.update({ ...m, checkpoint: 'restored' });
  const stepNumber = messages.slice(0, index + 1).filter((m) => m.role === 'assistant' && m.tools).length;
  const paths = plan.map((f) => f.path).join(', ');
  env.log.info(`agent: restored the checkpoint before step ${stepNumber} (${plan.length} files)`);
  env.post({ type: 'composerNotice', level: 'info', text: `Restored ${paths} to before step ${stepNumber}.` });
  return `The user restored the checkpoint from before step ${stepNumber}: ${paths} ${plan.length === 1 ? 'is' : 'are'} back to ${plan.length === 1 ? 'its' : 'their'} earlier content (changes made at that step and after were undone). Read files again before editing them.`;
}
