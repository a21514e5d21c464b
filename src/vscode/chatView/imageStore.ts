/**
 * The chat's images on disk: `<storage>/images/<sha256>.<ext>`, where `<storage>` is the
 * workspace's extension storage (`ExtensionContext.storageUri`; the global one in a window with
 * no folder). The history in workspace state keeps only the file names (src/chat/images.ts);
 * the webview shows them as webview resources (the folder is one of its `localResourceRoots`).
 */
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { imageExtension, type ImageMime, type ImageStore } from '../../chat/images';

/** The folder images are kept in, for a context. */
export function imageFolder(context: Pick<vscode.ExtensionContext, 'storageUri' | 'globalStorageUri'>): vscode.Uri {
  return vscode.Uri.joinPath(context.storageUri ?? context.globalStorageUri, 'images');
}

/** Image files named by their content: the same image attached twice is stored once. */
export class FileImageStore implements ImageStore {
  /** `webviewUri` turns a file URI into one the chat webview may load (undefined while it has none). */
  constructor(
    private readonly folder: vscode.Uri,
    private readonly webviewUri: (file: vscode.Uri) => string | undefined,
  ) {}

  async save(bytes: Uint8Array, mime: ImageMime): Promise<string> {
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${imageExtension(mime)}`;
    await vscode.workspace.fs.createDirectory(this.folder);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(this.folder, name), bytes);
    return name;
  }

  async read(file: string): Promise<Uint8Array | undefined> {
    try {
      return await vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.folder, file));
    } catch {
      return undefined;
    }
  }

  async remove(file: string): Promise<void> {
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(this.folder, file)).then(undefined, () => undefined);
  }

  src(file: string): string {
    return this.webviewUri(vscode.Uri.joinPath(this.folder, file)) ?? '';
  }
}
