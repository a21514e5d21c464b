/**
 * One built-in tool as one object: its name, what approving it means (its kind), the description
 * and the zod schema of its arguments, the card's text for a call, and what it does — a read or a
 * command runs on the injected {@link ToolHost}; an edit works out the file's new content, which
 * the runner writes once the user approves. The JSON Schema the model is offered is generated from
 * the same zod schema that checks the arguments, so the model sees exactly what the code accepts.
 * Pure.
 */
import * as z from 'zod/mini';
import type { RunContext, ToolHost, ToolRun } from './host';

/** What approving a call means: reading, writing files, or running a command. */
export type ToolKind = 'read' | 'edit' | 'command';

/** The arguments' schema: an object (strict: a key the schema does not name is refused). */
export type ArgsSchema = z.ZodMiniObject;

interface ToolBase<N extends string, S extends ArgsSchema> {
  readonly name: N;
  readonly description: string;
  readonly args: S;
  /** The call in human form, for its card: "Read src/calc.ts lines 1–40". */
  title(args: z.infer<S>): string;
}

/** A tool that reads or runs: the host does the work. */
export interface RunTool<N extends string = string, S extends ArgsSchema = ArgsSchema> extends ToolBase<N, S> {
  readonly kind: 'read' | 'command';
  run(args: z.infer<S>, host: ToolHost, context: RunContext): Promise<ToolRun>;
}

/** A file's new content, or why it cannot be made. */
export type Proposed = { ok: true; content: string; summary: string } | { ok: false; error: string };

/** A tool that writes one file: `propose` works out the new content from the current one (`null`: no such file). */
export interface EditTool<N extends string = string, S extends ArgsSchema = ArgsSchema> extends ToolBase<N, S> {
  readonly kind: 'edit';
  path(args: z.infer<S>): string;
  propose(args: z.infer<S>, current: string | null): Proposed;
}

export type BuiltInTool<N extends string = string, S extends ArgsSchema = ArgsSchema> = RunTool<N, S> | EditTool<N, S>;

/** One function definition as OpenAI / OpenRouter take it in `tools`. */
export interface FunctionDefinition<N extends string = string> {
  readonly type: 'function';
  readonly function: {
    readonly name: N;
    readonly description: string;
    readonly parameters: Readonly<Record<string, unknown>>;
  };
}

/**
 * The JSON Schema of a zod schema as a function's `parameters`: the input side (what the model
 * sends), without `$schema` (providers' tool schemas do not take it) and without the safe-integer
 * bounds zod adds to every integer (noise the model need not read).
 */
export function parametersOf(schema: z.ZodMiniType): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'throw',
    override: ({ jsonSchema }) => {
      if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
      if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    },
  }) as Record<string, unknown>;
  delete generated.$schema;
  return generated;
}

/**
 * The function definition the model is offered for a tool (or any named zod schema). Its JSON
 * Schema is generated when first read (the first agent request), not when the agent loads.
 */
export function functionDefinition<N extends string>(
  name: N,
  description: string,
  args: z.ZodMiniType,
): FunctionDefinition<N> {
  let parameters: Record<string, unknown> | undefined;
  return {
    type: 'function',
    function: {
      name,
      description,
      get parameters() {
        return (parameters ??= parametersOf(args));
      },
    },
  };
}
