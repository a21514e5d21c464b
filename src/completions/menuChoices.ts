/**
 * What the completions status menu offers in each state: only what changes something from here.
 * Off → turn them on; off for this language → turn it on for the language; snoozed → resume;
 * on → snooze, off for this language, off. Turning them off stays on offer while they are on in any
 * way (snoozed, off for one language), since that is a different, lasting choice. Pure.
 */

export type MenuChoiceId = 'turnOn' | 'turnOff' | 'languageOn' | 'languageOff' | 'snooze' | 'resume';

export interface MenuChoice {
  readonly id: MenuChoiceId;
  readonly label: string;
}

export interface MenuState {
  /** `switchyard.completions.enabled`. */
  readonly enabled: boolean;
  /** The active editor's language, if any. */
  readonly language?: string;
  /** Whether that language is on (`switchyard.completions.languages`). */
  readonly languageOn: boolean;
  readonly snoozed: boolean;
}

/** The menu's choices, the one most likely wanted first. */
export function menuChoices(state: MenuState): MenuChoice[] {
  if (!state.enabled) return [{ id: 'turnOn', label: '$(sparkle) Turn Completions On' }];
  const { language } = state;
  const choices: MenuChoice[] = [];
  if (language && !state.languageOn) choices.push({ id: 'languageOn', label: `$(check) Turn On for ${language}` });
  if (state.snoozed) choices.push({ id: 'resume', label: '$(play) Resume Now' });
  // Snoozing helps only where they would show: not while off for this file's language.
  else if (!language || state.languageOn) choices.push({ id: 'snooze', label: '$(clock) Snooze for 10 Minutes' });
  if (language && state.languageOn)
    choices.push({ id: 'languageOff', label: `$(circle-slash) Turn Off for ${language}` });
  choices.push({ id: 'turnOff', label: '$(circle-slash) Turn Completions Off' });
  return choices;
}
