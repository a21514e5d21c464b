/**
 * Content rules of the one secret policy (secrets.ts) that need no name around them: the shapes
 * of providers' keys and tokens, and the body of a private key whose `BEGIN` line is not in the
 * text (a prompt cut to its budget, a few lines around an edit). Every expression is linear.
 */

/** Provider key shapes: whole tokens that are credentials wherever they appear. */
export const TOKEN_SHAPES: readonly RegExp[] = [
  /\bsk-or-[A-Za-z0-9_-]{6,}/g, // OpenRouter
  /\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g, // OpenAI, Anthropic and other `sk-` keys
  /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\bLTAI[A-Za-z0-9]{12,20}\b/g, // Alibaba Cloud
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}/g,
  /\bgl(?:pat|ptt|dt|rt|cbt|imt|oas|ft|soat)-[A-Za-z0-9_-]{20,}/g, // GitLab
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bxapp-\d-[A-Za-z0-9-]{20,}/g, // Slack app-level tokens
  /\bhttps:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]{20,}/g, // Slack webhooks
  /\bhttps:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{5,}\/[A-Za-z0-9_-]{20,}/g, // Discord webhooks
  /\b[MNO][A-Za-z0-9_-]{23,25}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{27,38}\b/g, // Discord bot tokens
  /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/g, // Telegram bot tokens
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API keys
  /\bya29\.[0-9A-Za-z_-]{20,}/g, // Google OAuth access tokens
  /\bGOCSPX-[A-Za-z0-9_-]{20,}/g, // Google OAuth client secrets
  /\bhf_[A-Za-z0-9]{30,}/g, // Hugging Face
  /\bnpm_[A-Za-z0-9]{36}/g, // npm
  /\bpypi-[A-Za-z0-9_-]{50,}/g, // PyPI
  /\brubygems_[a-f0-9]{48}\b/g, // RubyGems
  /\boy2[a-z0-9]{43}\b/g, // NuGet
  /\bdckr_pat_[A-Za-z0-9_-]{20,}/g, // Docker Hub
  /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g, // Stripe
  /\bwhsec_[A-Za-z0-9+/=]{24,}/g, // Stripe (and Svix) webhook secrets
  /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/g, // SendGrid
  /\bSK[0-9a-f]{32}\b/g, // Twilio API keys
  /\bkey-[0-9a-z]{32}\b/g, // Mailgun
  /\b(?:gsk|xai|dop_v1|doo_v1|dor_v1|shpat|shpss|shpca|shppa|glc|glsa)_[A-Za-z0-9_]{24,}/g, // Groq, xAI, DigitalOcean, Shopify, Grafana
  /\blin_(?:api|oauth)_[A-Za-z0-9]{32,}/g, // Linear
  /\b(?:secret|ntn)_[A-Za-z0-9]{40,}/g, // Notion
  /\br8_[A-Za-z0-9]{30,}/g, // Replicate
  /\bpplx-[A-Za-z0-9]{40,}/g, // Perplexity
  /\bdapi[a-f0-9]{32}\b/g, // Databricks
  /\bsbp_[a-f0-9]{40}\b/g, // Supabase
  /\bpul-[a-f0-9]{40}\b/g, // Pulumi
  /\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b/g, // Postman
  /\bdp\.(?:pt|st|ct|sa|scim|audit)\.[A-Za-z0-9]{40,}/g, // Doppler
  /\btskey-[a-z]+-[A-Za-z0-9-]{20,}/g, // Tailscale
  /\bhv[sb]\.[A-Za-z0-9_-]{24,}/g, // HashiCorp Vault
  /\b[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_-]{60,}/g, // Terraform Cloud
  /\bATATT3[A-Za-z0-9_=-]{60,}/g, // Atlassian API tokens
  /\b(?:sntrys|sntryu)_[A-Za-z0-9+/=_]{30,}/g, // Sentry
  /\bfigd_[A-Za-z0-9_-]{30,}/g, // Figma
  /\bpscale_(?:tkn|pw|oauth)_[A-Za-z0-9_.-]{30,}/g, // PlanetScale
  /\bops_eyJ[A-Za-z0-9+/=_-]{50,}/g, // 1Password service accounts
  /\bAGE-SECRET-KEY-1[0-9A-Z]{50,}/g, // age
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWT
];

/**
 * A line that is only a long run of base64 (quotes, a `\n` escape, a `+` or `,` around it
 * allowed): the body of a private key or a key file (PEM, OpenSSH, PuTTY's `Private-Lines`) whose
 * `BEGIN` line is elsewhere. 40 characters or more with letters and digits; whether it is varied
 * enough (not hex, not a repeated character) is {@link isKeyBodyLine}'s.
 */
const BASE64_LINE = /^[ \t]*["'`]?([A-Za-z0-9+/]{40,}={0,2})(?:\\n)?["'`]?[ \t]*[+,]?[ \t]*\r?$/;

/** Shannon entropy in bits per character. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / value.length) * Math.log2(n / value.length);
  return bits;
}

/** The 1-based numbers of `text`'s lines that are {@link isKeyBodyLine}. */
export function keyBodyLines(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (isKeyBodyLine(line) ? [i + 1] : []));
}

/** Whether a line is a base64 key body (hex digests and words are not: more than 4.5 bits a character, upper and lower case and digits). */
export function isKeyBodyLine(line: string): boolean {
  const run = BASE64_LINE.exec(line)?.[1];
  if (!run || !/[a-z]/.test(run) || !/[A-Z]/.test(run) || !/[0-9]/.test(run)) return false;
  return entropy(run.replace(/=+$/, '')) > 4.5;
}
