/**
 * The image commands: Attach Image (the composer's paperclip and `@image`: an open dialog for
 * PNG, JPEG, WebP and GIF files, several at once) and the vision-only model picker that a
 * vision refusal offers (registered in ./commands.ts with {@link VISION_FILTER}).
 */
import * as vscode from 'vscode';
import { AGENT_MODE_IMAGES, imageSizeProblem } from '../../chat/images';
import type { PickerFilter } from '../models/modelPicker';
import type { ChatSession } from '../../chat/chatSession';
import type { ViewMode } from '../../chat/viewMode';
import type { ChatViewProvider } from './chatViewProvider';

/** The model picker narrowed to models whose `architecture.input_modalities` include `image`. */
export const VISION_FILTER: PickerFilter = {
  title: vscode.l10n.t('Switchyard: Pick a Vision Model'),
  noun: vscode.l10n.t('vision models'),
  only: (m) => m.supportsVision,
};

/** The file types the dialog offers (the bytes decide in the end: src/chat/images.ts). */
const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'webp', 'gif'];

/** What Attach Image uses. */
export interface ImageCommandDeps {
  readonly chatView: ChatViewProvider;
  readonly session: ChatSession;
  /** The mode on screen (read without loading the agent). */
  readonly viewMode: ViewMode;
}

export function registerImageCommands(
  services: ImageCommandDeps,
  register: (id: string, run: () => unknown) => vscode.Disposable,
): vscode.Disposable[] {
  return [register('switchyard.attachImage', () => attachImages(services))];
}

/** Asks for image files and attaches each to the next chat message; a refused one is said under the composer. */
async function attachImages(services: ImageCommandDeps): Promise<void> {
  if (services.viewMode.mode() !== 'ask') {
    services.chatView.post({ type: 'composerNotice', text: AGENT_MODE_IMAGES, level: 'error' });
    return;
  }
  const uris = await vscode.window.showOpenDialog({
    title: vscode.l10n.t('Switchyard: Attach Image'),
    openLabel: vscode.l10n.t('Attach'),
    canSelectMany: true,
    canSelectFolders: false,
    filters: { [vscode.l10n.t('Images')]: IMAGE_EXTENSIONS },
  });
  for (const uri of uris ?? []) {
    const name = uri.path.split('/').pop() || 'image';
    const stat = await vscode.workspace.fs.stat(uri);
    const tooBig = imageSizeProblem(name, stat.size);
    if (tooBig) {
      services.chatView.post({ type: 'composerNotice', text: tooBig, level: 'error' });
      continue;
    }
    await services.session.addImageBytes(name, await vscode.workspace.fs.readFile(uri));
  }
  if (uris?.length) await vscode.commands.executeCommand('switchyard.chat.focus');
}
