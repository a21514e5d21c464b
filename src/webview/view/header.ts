/** The header: the current model as a badge (`#model-badge`) that opens the model picker. */
import type { ModelBadge, WebviewToHost } from '../../protocol/messages';
import { button, el } from '../dom';
import { modelTooltip } from '../format';
import { icon } from '../icons';

export class Header {
  readonly element = el('header', { className: 'header' });
  private readonly name = el('span', { className: 'model-name', text: 'No model' });
  private readonly fallbacks = el('span', { className: 'model-fallbacks' });
  private readonly badge = button({ id: 'model-badge', className: 'model-badge', label: 'Pick model' }, [
    icon('route'),
    this.name,
    this.fallbacks,
    icon('chevron'),
  ]);

  constructor(post: (message: WebviewToHost) => void) {
    this.badge.addEventListener('click', () => post({ type: 'runCommand', command: 'switchyard.pickModel' }));
    this.fallbacks.hidden = true;
    this.element.append(this.badge);
  }

  setModel(model: ModelBadge): void {
    this.name.textContent = model.name || model.id;
    this.badge.title = modelTooltip(model);
    this.badge.setAttribute('aria-label', `Model: ${model.name || model.id}. Pick another model`);
    this.badge.setAttribute('data-model-id', model.id);
    const count = model.fallbacks.length;
    this.fallbacks.hidden = count === 0;
    this.fallbacks.textContent = count === 0 ? '' : `+${count} fallback${count === 1 ? '' : 's'}`;
  }
}
