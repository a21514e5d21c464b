/**
 * The theme variables VS Code puts on a webview's `<html>` (a subset, values of the built-in
 * "Dark Modern" and "Light Modern" themes) and the default styles it injects into every webview,
 * so the harness page looks like the real sidebar.
 */

export type ThemeName = 'dark' | 'light';

interface Theme {
  /** Body class VS Code sets. */
  readonly kind: 'vscode-dark' | 'vscode-light';
  /** Variables without the `--vscode-` prefix. */
  readonly vars: Readonly<Record<string, string>>;
}

const FONTS = {
  'font-family': '-apple-system, BlinkMacSystemFont, "Segoe WPC", "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '14px',
};

export const THEMES: Readonly<Record<ThemeName, Theme>> = {
  dark: {
    kind: 'vscode-dark',
    vars: {
      ...FONTS,
      foreground: '#cccccc',
      'editor-foreground': '#cccccc',
      'editor-background': '#1f1f1f',
      'sideBar-background': '#181818',
      'sideBarSectionHeader-border': '#2b2b2b',
      'panel-border': '#2b2b2b',
      'widget-border': '#313131',
      'widget-shadow': 'rgba(0, 0, 0, 0.36)',
      'editorWidget-background': '#202020',
      descriptionForeground: '#9d9d9d',
      errorForeground: '#f85149',
      focusBorder: '#0078d4',
      'input-background': '#313131',
      'input-foreground': '#cccccc',
      'input-border': '#3c3c3c',
      'input-placeholderForeground': '#989898',
      'button-background': '#0078d4',
      'button-foreground': '#ffffff',
      'button-border': 'rgba(255, 255, 255, 0.07)',
      'button-hoverBackground': '#026ec1',
      'button-secondaryBackground': '#313131',
      'button-secondaryForeground': '#cccccc',
      'button-secondaryHoverBackground': '#3c3c3c',
      'badge-background': '#616161',
      'badge-foreground': '#f8f8f8',
      'textLink-foreground': '#4daafc',
      'textLink-activeForeground': '#4daafc',
      'textCodeBlock-background': '#2b2b2b',
      'textPreformat-foreground': '#d0d0d0',
      'textPreformat-background': '#3c3c3c',
      'textBlockQuote-background': '#2b2b2b',
      'textBlockQuote-border': '#616161',
      'toolbar-hoverBackground': 'rgba(90, 93, 94, 0.31)',
      'editorWarning-foreground': '#cca700',
      'editorCursor-foreground': '#aeafad',
      'testing-iconPassed': '#73c991',
      'scrollbarSlider-background': 'rgba(121, 121, 121, 0.4)',
      'scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)',
      'chat-requestBubbleBackground': 'rgba(38, 79, 120, 0.3)',
    },
  },
  light: {
    kind: 'vscode-light',
    vars: {
      ...FONTS,
      foreground: '#3b3b3b',
      'editor-foreground': '#3b3b3b',
      'editor-background': '#ffffff',
      'sideBar-background': '#f8f8f8',
      'sideBarSectionHeader-border': '#e5e5e5',
      'panel-border': '#e5e5e5',
      'widget-border': '#e5e5e5',
      'widget-shadow': 'rgba(0, 0, 0, 0.16)',
      'editorWidget-background': '#f8f8f8',
      descriptionForeground: '#616161',
      errorForeground: '#f85149',
      focusBorder: '#005fb8',
      'input-background': '#ffffff',
      'input-foreground': '#3b3b3b',
      'input-border': '#cecece',
      'input-placeholderForeground': '#767676',
      'button-background': '#005fb8',
      'button-foreground': '#ffffff',
      'button-border': 'rgba(0, 0, 0, 0.1)',
      'button-hoverBackground': '#0258a8',
      'button-secondaryBackground': '#e5e5e5',
      'button-secondaryForeground': '#3b3b3b',
      'button-secondaryHoverBackground': '#cccccc',
      'badge-background': '#cccccc',
      'badge-foreground': '#3b3b3b',
      'textLink-foreground': '#005fb8',
      'textLink-activeForeground': '#005fb8',
      'textCodeBlock-background': '#f2f2f2',
      'textPreformat-foreground': '#3b3b3b',
      'textPreformat-background': 'rgba(0, 0, 0, 0.08)',
      'textBlockQuote-background': '#f8f8f8',
      'textBlockQuote-border': '#e5e5e5',
      'toolbar-hoverBackground': 'rgba(184, 184, 184, 0.31)',
      'editorWarning-foreground': '#bf8803',
      'editorCursor-foreground': '#000000',
      'testing-iconPassed': '#388a34',
      'scrollbarSlider-background': 'rgba(100, 100, 100, 0.4)',
      'scrollbarSlider-hoverBackground': 'rgba(100, 100, 100, 0.7)',
      'chat-requestBubbleBackground': 'rgba(173, 214, 255, 0.3)',
    },
  },
};

/** The gist of the stylesheet VS Code injects into webviews (src/vs/workbench/contrib/webview). */
export const VSCODE_DEFAULT_STYLES = `
body {
  background-color: transparent;
  color: var(--vscode-editor-foreground);
  font-family: var(--vscode-font-family);
  font-weight: var(--vscode-font-weight);
  font-size: var(--vscode-font-size);
  margin: 0;
  padding: 0 20px;
}
img, video { max-width: 100%; max-height: 100%; }
a, a code { color: var(--vscode-textLink-foreground); }
a:hover { color: var(--vscode-textLink-activeForeground); }
a:focus, input:focus, select:focus, textarea:focus { outline: 1px solid -webkit-focus-ring-color; outline-offset: -1px; }
code {
  font-family: var(--monaco-monospace-font);
  color: var(--vscode-textPreformat-foreground);
  background-color: var(--vscode-textPreformat-background);
  padding: 1px 3px;
  border-radius: 4px;
}
pre code { padding: 0; }
blockquote { background: var(--vscode-textBlockQuote-background); border-color: var(--vscode-textBlockQuote-border); }
::-webkit-scrollbar { width: 10px; height: 10px; }
::-webkit-scrollbar-corner { background-color: var(--vscode-editor-background); }
::-webkit-scrollbar-thumb { background-color: var(--vscode-scrollbarSlider-background); }
::-webkit-scrollbar-thumb:hover { background-color: var(--vscode-scrollbarSlider-hoverBackground); }
`;
