/**
 * `switchyard.routing.*` and `switchyard.provider` → a {@link RoutingPolicy}. Each field is
 * validated on its own: a malformed one is reported and replaced by its default; the rest keeps
 * working.
 */
import * as z from 'zod/mini';
import { quoted } from '../openrouter/untrustedText';
import { validateRoute } from '../routing/routes';
import type { DynamicRoute, RoutingPolicy } from '../routing/types';

const slug = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
const slugs = z.array(slug).check(z.maxLength(50));
const usd = z.number().check(z.gte(0));
const percentile = z.union([
  z.number().check(z.gte(0)),
  z.object({
    p50: z.optional(z.number()),
    p75: z.optional(z.number()),
    p90: z.optional(z.number()),
    p99: z.optional(z.number()),
  }),
]);
const sortBy = z.enum(['price', 'throughput', 'latency']);

/** The settings, their defaults, and what each expects in words. */
const FIELDS = {
  mode: { schema: z.enum(['auto', 'manual']), fallback: 'auto', expects: '"auto" or "manual"' },
  preferredModel: {
    schema: z.string().check(z.trim(), z.maxLength(200)),
    fallback: '',
    expects: 'a model id, or empty',
  },
  preferredProvider: {
    schema: z.string().check(z.trim(), z.maxLength(200)),
    fallback: '',
    expects: 'a provider slug, or empty',
  },
  tiers: {
    schema: z.record(z.string().check(z.minLength(1)), slugs),
    fallback: {},
    expects: 'an object of tier → list of model ids',
  },
  freeFirst: { schema: z.boolean(), fallback: false, expects: 'true or false' },
  fallback: {
    schema: z.object({ onlyCheaper: z.optional(z.boolean()), askBeforeUpgrade: z.optional(z.boolean()) }),
    fallback: {},
    expects: '{ "onlyCheaper": boolean, "askBeforeUpgrade": boolean }',
  },
  capacity: {
    schema: z.object({
      strategy: z.optional(z.enum(['shared', 'byokFirst', 'byokOnly'])),
      byokProviders: z.optional(slugs),
    }),
    fallback: {},
    expects: '{ "strategy": "shared" | "byokFirst" | "byokOnly", "byokProviders": [slugs] }',
  },
  budgets: {
    schema: z.object({ perRequestUsd: z.optional(usd), perDayUsd: z.optional(usd), perMonthUsd: z.optional(usd) }),
    fallback: {},
    expects: '{ "perRequestUsd", "perDayUsd", "perMonthUsd" } in USD',
  },
  onBudget: {
    schema: z.enum(['block', 'warn', 'downgradeToFree', 'ask', 'downgrade']),
    fallback: 'block',
    expects: '"block", "warn", "downgradeToFree", "ask" or "downgrade"',
  },
} as const;

/** OpenRouter's `provider` object (wire names), plus the `variant` shortcut. Unknown keys are refused. */
const ProviderSchema = z.strictObject({
  order: z.optional(slugs),
  allow_fallbacks: z.optional(z.boolean()),
  require_parameters: z.optional(z.boolean()),
  data_collection: z.optional(z.enum(['allow', 'deny'])),
  zdr: z.optional(z.boolean()),
  only: z.optional(slugs),
  ignore: z.optional(slugs),
  quantizations: z.optional(slugs),
  sort: z.optional(z.union([sortBy, z.object({ by: sortBy, partition: z.optional(z.enum(['model', 'none'])) })])),
  max_price: z.optional(
    z.object({
      prompt: z.optional(usd),
      completion: z.optional(usd),
      request: z.optional(usd),
      image: z.optional(usd),
    }),
  ),
  preferred_min_throughput: z.optional(percentile),
  preferred_max_latency: z.optional(percentile),
  variant: z.optional(z.enum(['nitro', 'floor'])),
});

type FieldName = keyof typeof FIELDS;

/** Raw values as read from the configuration (`undefined` = not set). */
export type RawRoutingSettings = Partial<Record<FieldName | 'provider' | 'routes', unknown>>;

export interface ParsedRouting {
  readonly policy: Omit<RoutingPolicy, 'fallbackModels' | 'routes'>;
  /** `switchyard.routing.routes`: config-defined dynamic routes (valid ones; the rest are reported). */
  readonly routes: readonly DynamicRoute[];
  readonly problems: readonly string[];
}

const RouteEndpointsSchema = z
  .array(z.strictObject({ model: slug, provider: z.optional(slug) }))
  .check(z.minLength(1), z.maxLength(20));
const RouteSchema = z.strictObject({
  strategy: z.optional(z.enum(['priority', 'loadBalance'])),
  endpoints: RouteEndpointsSchema,
});
const StoredRouteSchema = z.object({
  name: z.string(),
  strategy: z.enum(['priority', 'loadBalance']),
  endpoints: RouteEndpointsSchema,
});

function toRoute(
  name: string,
  strategy: DynamicRoute['strategy'],
  endpoints: readonly { model: string; provider?: string | undefined }[],
): DynamicRoute {
  return {
    name,
    strategy,
    endpoints: endpoints.map((e) => (e.provider ? { model: e.model, provider: e.provider } : { model: e.model })),
  };
}

/**
 * Run-time routes as kept in global state, checked like settings: a damaged entry is dropped,
 * never trusted.
 */
export function parseStoredRoutes(raw: unknown): DynamicRoute[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((value) => {
    const parsed = StoredRouteSchema.safeParse(value);
    if (!parsed.success) return [];
    const route = toRoute(parsed.data.name, parsed.data.strategy, parsed.data.endpoints);
    return validateRoute(route) === undefined ? [route] : [];
  });
}

/** `{ name: { endpoints, strategy } }` → routes; each bad route is reported and skipped alone. */
export function parseRoutes(raw: unknown, problems: string[]): DynamicRoute[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(
      'switchyard.routing.routes should be an object of route name → { "endpoints": [{ "model", "provider"? }], "strategy": "priority" | "loadBalance" }; no config routes are used.',
    );
    return [];
  }
  const routes: DynamicRoute[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const parsed = RouteSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(
        `switchyard.routing.routes: the route ${quoted(name, 60)} should be { "endpoints": [{ "model": "author/slug", "provider"?: "slug" }, …], "strategy"?: "priority" | "loadBalance" }; this route is ignored.`,
      );
      continue;
    }
    const route = toRoute(name, parsed.data.strategy ?? 'priority', parsed.data.endpoints);
    const error = validateRoute(route);
    if (error) problems.push(`switchyard.routing.routes: ${error} This route is ignored.`);
    else routes.push(route);
  }
  return routes;
}

/** The names of `switchyard.routing.<name>` read field by field. */
export const ROUTING_FIELDS = Object.keys(FIELDS) as readonly FieldName[];

/** What `switchyard.routing.<name>` (or `switchyard.provider`) expects, in words. */
export function routingExpects(name: FieldName | 'provider'): string {
  return name === 'provider' ? 'an OpenRouter provider object with known fields' : FIELDS[name].expects;
}

/** Whether a value of `switchyard.routing.<name>` (or `switchyard.provider`) is valid (the trust merge's check). */
export function routingValueValid(name: FieldName | 'provider', value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return (name === 'provider' ? ProviderSchema : FIELDS[name].schema).safeParse(value).success;
}

export function parseRoutingSettings(raw: RawRoutingSettings): ParsedRouting {
  const problems: string[] = [];
  const read = <K extends FieldName>(name: K): z.infer<(typeof FIELDS)[K]['schema']> => {
    const field = FIELDS[name];
    const value = raw[name];
    if (value === undefined || value === null) return field.fallback as z.infer<(typeof FIELDS)[K]['schema']>;
    const parsed = field.schema.safeParse(value);
    if (parsed.success) return parsed.data as z.infer<(typeof FIELDS)[K]['schema']>;
    problems.push(
      `switchyard.routing.${name} should be ${field.expects}, not ${quoted(value, 80)}; using the default.`,
    );
    return field.fallback as z.infer<(typeof FIELDS)[K]['schema']>;
  };
  let provider: z.infer<typeof ProviderSchema> = {};
  if (raw.provider !== undefined && raw.provider !== null) {
    const parsed = ProviderSchema.safeParse(raw.provider);
    if (parsed.success) provider = parsed.data;
    else {
      const issue = parsed.error.issues[0];
      // Paths and key names are the setting's own text (a cloned repository's): quoted, inert.
      const where = issue?.path.length ? ` (at ${quoted(issue.path.join('.'), 60)})` : '';
      problems.push(
        `switchyard.provider is not a valid OpenRouter provider object${where}: ${issue?.code === 'unrecognized_keys' ? `unknown field ${quoted((issue as { keys?: unknown }).keys, 60)}` : 'wrong type'}; provider preferences are ignored until it is fixed.`,
      );
    }
  }
  const fallback = read('fallback');
  const capacity = read('capacity');
  const preferredModel = read('preferredModel');
  const preferredProvider = read('preferredProvider');
  return {
    policy: {
      mode: read('mode'),
      ...(preferredModel ? { preferredModel } : {}),
      ...(preferredProvider ? { preferredProvider } : {}),
      tiers: read('tiers'),
      freeFirst: read('freeFirst'),
      fallback: { onlyCheaper: fallback.onlyCheaper ?? false, askBeforeUpgrade: fallback.askBeforeUpgrade ?? true },
      provider,
      capacity: { strategy: capacity.strategy ?? 'shared', byokProviders: capacity.byokProviders ?? [] },
      budgets: read('budgets'),
      onBudget: read('onBudget'),
    },
    routes: parseRoutes(raw.routes, problems),
    problems,
  };
}
