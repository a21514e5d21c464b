/** The "Switchyard: List Routes" document (Markdown, shown rendered). */
import { code, text } from './markdown';
import type { ListedRoute } from './routes';

/**
 * Every route as a table row: its name, strategy, models in order (with a pinned provider) and
 * where it comes from; a hint how to add one when there is none. Names are escaped (./markdown.ts).
 */
export function routesDocument(listed: readonly ListedRoute[]): string {
  const lines = ['# Switchyard routes', ''];
  if (listed.length === 0) {
    lines.push('No routes yet. Add one with **Switchyard: Add Route**, or in `switchyard.routing.routes`.');
    return lines.join('\n');
  }
  lines.push(
    'Pick a route by its name like a model (status bar → model picker, or `switchyard.model`). This list follows Add Route and Remove Route.',
    '',
    '| route | strategy | models, in order | from |',
    '|---|---|---|---|',
  );
  for (const { route, origin, shadows } of listed) {
    const endpoints = route.endpoints
      .map((e) => `${code(e.model, true)}${e.provider ? ` via ${code(e.provider, true)}` : ''}`)
      .join(', ');
    const from =
      origin === 'config'
        ? 'settings (cannot be removed here)'
        : shadows
          ? 'added at run time (hides the settings route of this name)'
          : 'added at run time';
    lines.push(`| ${code(route.name, true)} | ${text(route.strategy)} | ${endpoints} | ${from} |`);
  }
  return lines.join('\n');
}
