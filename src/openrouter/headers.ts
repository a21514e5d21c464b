/** Attribution headers OpenRouter uses to credit the app (both the new and the older title name). */
export const APP_URL = 'https://github.com/switchyard-dev/switchyard';
export const APP_TITLE = 'Switchyard';

export function attributionHeaders(): Record<string, string> {
  return {
    'HTTP-Referer': APP_URL,
    'X-OpenRouter-Title': APP_TITLE,
    'X-Title': APP_TITLE,
    'X-OpenRouter-Categories': 'ide-extension',
  };
}
