/**
 * The images a tool returned (an MCP tool's screenshot or chart), on its card: one thumbnail each
 * (`.tool-images img.tool-image-thumb`), named and sized in its tooltip. The host checked them
 * (PNG, JPEG, WebP or GIF by their bytes, at most 5 MiB) and serves them from the image store.
 */
import type { ToolImageView } from '../../protocol/agentViews';
import { formatBytes } from '../../protocol/units';
import { el } from '../dom';
import { icon } from '../icons';

export function toolImages(images: readonly ToolImageView[]): HTMLElement {
  return el(
    'div',
    { className: 'tool-images', attrs: { role: 'list', 'aria-label': 'Images the tool returned' } },
    images.map((image) => {
      const title = `${image.name} (${image.mime}, ${formatBytes(image.bytes)})`;
      const picture = image.src
        ? el('img', { className: 'tool-image-thumb', attrs: { src: image.src, alt: image.name, draggable: 'false' } })
        : icon('image');
      return el('span', { className: 'tool-image', attrs: { role: 'listitem', title } }, [picture]);
    }),
  );
}
