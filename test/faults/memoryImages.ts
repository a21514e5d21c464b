/** Image files in memory for chat tests (the extension keeps them in its storage folder). */
import type { ImageMime, ImageStore } from '../../src/chat/images';

/** Image files in memory; `src` is the data URL (the extension gives a webview resource URI). */
export class MemoryImages implements ImageStore {
  readonly files = new Map<string, Uint8Array>();
  async save(bytes: Uint8Array, mime: ImageMime): Promise<string> {
    const name = `${Buffer.from(bytes).toString('hex').padEnd(64, '0').slice(0, 64)}.${mime.slice(6).replace('jpeg', 'jpg')}`;
    this.files.set(name, bytes);
    return name;
  }
  async read(file: string): Promise<Uint8Array | undefined> {
    return this.files.get(file);
  }
  src(file: string): string {
    return `https://images.test/${file}`;
  }
  async remove(file: string): Promise<void> {
    this.files.delete(file);
  }
}
