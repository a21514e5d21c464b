/**
 * Each `switchyard.*` setting's own check (the readers' schemas) with what it expects in words:
 * the trust merge uses it to ignore a workspace value the setting would refuse, and the notice
 * names that setting with what it should be — never with the value, which may be anything a
 * cloned repository wrote. Pure.
 */
import { ROUTING_FIELDS, routingExpects, routingValueValid } from './routingSettings';
import { agentExpected, agentSchemas, fieldExpected, fieldSchemas } from './settingSchemas';

export interface SettingCheck {
  valid(value: unknown): boolean;
  /** What a valid value is, in words ("a whole number from 1 to 200"). */
  readonly expected: string;
}

function schemaChecks(
  schemas: Readonly<Record<string, { safeParse(v: unknown): { success: boolean } }>>,
  expected: Readonly<Record<string, string>>,
): Record<string, SettingCheck> {
  return Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [
      name,
      { valid: (v: unknown) => schema.safeParse(v).success, expected: expected[name]! },
    ]),
  );
}

/** The checks by setting name (after `switchyard.`). */
export const SETTING_CHECKS: Readonly<Record<string, SettingCheck>> = {
  ...schemaChecks(fieldSchemas, fieldExpected),
  ...schemaChecks(agentSchemas, agentExpected),
  ...Object.fromEntries(
    ROUTING_FIELDS.map((name) => [
      `routing.${name}`,
      { valid: (v: unknown) => routingValueValid(name, v), expected: routingExpects(name) },
    ]),
  ),
  provider: { valid: (v) => routingValueValid('provider', v), expected: routingExpects('provider') },
};
