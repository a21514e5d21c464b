/**
 * Tool calls a model wrote as text in its answer instead of calling the tools (open-weight models
 * behind some providers, or a model confused by a long transcript). Recognised forms:
 *
 * - `<tool_call>{"name": "read_file", "arguments": {...}}</tool_call>` (Hermes, Qwen);
 * - `<function=read_file>{...}</function>` and `<function=read_file><parameter=path>x</parameter></function>` (Llama, Qwen3-Coder);
 * - `<invoke name="read_file"><parameter name="path">x</parameter></invoke>` (Anthropic-style XML);
 * - `<read_file><path>x</path></read_file>` (tool-named XML, as Cline prompts for);
 * - `[TOOL_CALLS] [{"name": ..., "arguments": ...}]` (Mistral) and a fenced or bare JSON object
 *   `{"name": ..., "arguments"|"parameters": {...}}` whose name is a known tool.
 *
 * Only names of the tools offered count; arguments come back as JSON text for the tool's own
 * validation (a wrong shape becomes an error result, as with real calls). Model output is
 * untrusted: parsing is bounded and never evaluates anything. Pure.
 */

/** A call found in text: the tool's name and its arguments as JSON text. */
export interface TextualCall {
  readonly name: string;
  readonly arguments: string;
}

/** Text longer than this is not searched (a model that writes that much is answering). */
const MAX_TEXT = 200_000;

/** A parameter value as written: JSON when it parses as an object, array, number or boolean, else the text. */
function paramValue(raw: string): unknown {
  const text = raw.trim();
  if (/^[[{]|^-?\d|^(true|false|null)$/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      // Not JSON: the text itself.
    }
  }
  return raw.replace(/^\n|\n$/g, '');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text.trim());
  } catch {
    return undefined;
  }
}

/** `{name, arguments | parameters | input}` → a call, when the name is a known tool. */
function fromObject(value: unknown, tools: ReadonlySet<string>): TextualCall | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const fn = typeof v.function === 'object' && v.function !== null ? (v.function as Record<string, unknown>) : v;
  const name = typeof fn.name === 'string' ? fn.name : typeof v.tool === 'string' ? v.tool : undefined;
  if (!name || !tools.has(name)) return undefined;
  const args = fn.arguments ?? fn.parameters ?? fn.input ?? v.parameters ?? {};
  return { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) };
}

/** `<parameter=p>v</parameter>` or `<parameter name="p">v</parameter>` or `<p>v</p>` pairs inside a body. */
function xmlParameters(body: string, style: 'eq' | 'named' | 'tags'): Record<string, unknown> {
  const pattern =
    style === 'eq'
      ? /<parameter=([\w-]+)>([\s\S]*?)<\/parameter>/g
      : style === 'named'
        ? /<parameter\s+name="([\w-]+)"\s*>([\s\S]*?)<\/parameter>/g
        : /<([\w-]+)>([\s\S]*?)<\/\1>/g;
  const out: Record<string, unknown> = {};
  for (const m of body.matchAll(pattern)) out[m[1]!] = paramValue(m[2]!);
  return out;
}

/** The calls in `text`, in the order written. */
export function textualToolCalls(text: string, tools: ReadonlySet<string>): TextualCall[] {
  if (!text || text.length > MAX_TEXT) return [];
  const found: { at: number; call: TextualCall }[] = [];
  const add = (at: number, call: TextualCall | undefined): void => {
    if (call) found.push({ at, call });
  };
  for (const m of text.matchAll(/<tool_call>([\s\S]*?)<\/tool_call>/g))
    add(m.index, fromObject(parseJson(m[1]!), tools));
  for (const m of text.matchAll(/<function=([\w-]+)>([\s\S]*?)<\/function>/g)) {
    const name = m[1]!;
    if (!tools.has(name)) continue;
    const json = parseJson(m[2]!);
    add(m.index, {
      name,
      arguments: JSON.stringify(json && typeof json === 'object' ? json : xmlParameters(m[2]!, 'eq')),
    });
  }
  for (const m of text.matchAll(/<invoke\s+name="([\w-]+)"\s*>([\s\S]*?)<\/invoke>/g))
    if (tools.has(m[1]!)) add(m.index, { name: m[1]!, arguments: JSON.stringify(xmlParameters(m[2]!, 'named')) });
  for (const name of tools) {
    for (const m of text.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g')))
      add(m.index, { name, arguments: JSON.stringify(xmlParameters(m[1]!, 'tags')) });
  }
  const mistral = /\[TOOL_CALLS\]\s*(\[[\s\S]*\])/.exec(text);
  if (mistral) {
    const list = parseJson(mistral[1]!);
    if (Array.isArray(list)) list.forEach((item, i) => add(mistral.index + i, fromObject(item, tools)));
  }
  if (!found.length) for (const block of jsonBlocks(text)) add(block.at, fromObject(parseJson(block.text), tools));
  return found.sort((a, b) => a.at - b.at).map((f) => f.call);
}

/** Fenced JSON blocks, else the whole text when it is one JSON object. */
function jsonBlocks(text: string): { at: number; text: string }[] {
  const fenced = [...text.matchAll(/```(?:json|tool_call|tool_code)?\s*\n([\s\S]*?)```/g)].map((m) => ({
    at: m.index,
    text: m[1]!,
  }));
  if (fenced.length) return fenced;
  const trimmed = text.trim();
  return trimmed.startsWith('{') && trimmed.endsWith('}') ? [{ at: 0, text: trimmed }] : [];
}
