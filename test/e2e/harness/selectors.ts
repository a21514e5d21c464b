/**
 * The real DOM selectors of the VS Code 1.139 workbench (code-server 4.139.1) that the harness
 * relies on, in one place so a VS Code upgrade is fixed here only.
 */
export const SEL = {
  /** The workbench root, present once the shell is drawn. */
  workbench: '.monaco-workbench',
  /** Our status-bar item: `<extension id>.<item id>`; its text is `$(hubot) <short model name>`. */
  modelStatusItem: '[id="switchyard.switchyard.switchyard.model"]',
  /** Any status-bar entry (each has an id like `status.problems`). */
  statusBarItem: '.part.statusbar .statusbar-item',
  /** The editor's selection / cursor entry ("Ln 3, Col 1 (42 selected)"). */
  editorSelectionStatus: '[id="status.editor.selection"]',
  /** The activity-bar entry of our view container (aria-label = container title). */
  activityBarEntry: '.part.activitybar a.action-label[aria-label^="Switchyard"]',
  /** The `<li>` around an activity-bar entry; has class `checked` when its container is shown. */
  activityBarItem: '.part.activitybar li.action-item',
  /** The side bar part. */
  sideBar: '.part.sidebar',
  /** The quick input (command palette, quick open, showInputBox, showQuickPick). */
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  /** Rows of the quick pick list; the visible label is in `.label-name`. */
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  quickInputFocusedRow: '.quick-input-widget .quick-input-list .monaco-list-row.focused',
  /** A row's label (its first line; the detail line below also has a `.label-name`). */
  quickInputRowLabel: '.quick-input-list-rows > .quick-input-list-row:first-child .label-name',
  /** The message line under a showInputBox (validation message / prompt). */
  quickInputMessage: '.quick-input-widget .quick-input-message',
  /** Notification toasts (bottom right) and their message text. */
  notificationToast: '.notifications-toasts .notification-toast',
  notificationMessage: '.notification-list-item-message',
  /** Webview hosts: `iframe.webview` (outer) → `iframe#active-frame` (the extension's HTML). */
  webviewOuterFrame: 'iframe.webview',
  webviewInnerFrame: 'iframe#active-frame',
  /** The root element of our chat webview (see src/vscode/chatView/webviewHtml.ts). */
  chatRoot: '#app',
  /** Set once the chat webview has rendered the host's `init` (history, model, chips); see src/webview/main.ts. */
  chatReady: '#messages[data-initialized="true"]',
  /** The active editor tab. */
  activeTab: '.tabs-container .tab.active',
  /** The text editor's hidden input (focused when the editor has keyboard focus). */
  editorInput: '.editor-instance .monaco-editor textarea, .editor-instance .monaco-editor .native-edit-context',
} as const;
