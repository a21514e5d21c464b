/** Argument fields several tools share, each with its limits and its words for the model. Pure. */
import * as z from 'zod/mini';
import { hiddenFromShown } from '../../protocol/invisibleText';

/** A path as the model read it (`a⟨U+200B ZWSP⟩.ts`, ../../protocol/invisibleText.ts `shownName`) names the real file. */
const realPath = z.overwrite(hiddenFromShown);

/** A workspace-relative path the tool needs. */
export const workspacePath = (description: string) =>
  z.string().check(z.minLength(1), z.maxLength(4096), realPath, z.describe(description));

/** A path that may be left empty or out (the root, the whole workspace). */
export const optionalPath = (description: string) =>
  z.optional(z.string().check(z.maxLength(4096), realPath, z.describe(description)));

/** A 1-based line number. */
export const lineNumber = (description: string) => z.int().check(z.minimum(1), z.describe(description));
