/**
 * Follows the bottom of the conversation while the user has not scrolled up, offers a
 * "jump to latest" button when they have, and reports the position to be persisted.
 */
import { button } from '../dom';
import { icon } from '../icons';

/** Within this many pixels of the end counts as "at the bottom". */
const BOTTOM_SLACK_PX = 32;

export interface ScrollPosition {
  readonly scrollTop: number;
  readonly atBottom: boolean;
}

export class ScrollFollower {
  readonly jumpButton = button({ id: 'scroll-bottom', className: 'scroll-bottom', label: 'Scroll to latest' }, [
    icon('arrowDown'),
  ]);
  private stick = true;
  private saveFrame: number | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly onSave: (position: ScrollPosition) => void,
  ) {
    this.jumpButton.hidden = true;
    this.jumpButton.addEventListener('click', () => this.scrollToBottom());
    container.addEventListener('scroll', () => this.onScroll(), { passive: true });
    // Scrolling up releases the bottom at once, before the next streamed frame pulls it back.
    container.addEventListener(
      'wheel',
      (event) => {
        if (event.deltaY < 0) this.stick = false;
      },
      { passive: true },
    );
    new ResizeObserver(() => this.follow()).observe(container);
  }

  /** Call after content changed: keeps the end in view unless the user scrolled up. */
  follow(): void {
    if (this.stick) this.container.scrollTop = this.container.scrollHeight;
    this.updateJumpButton();
  }

  scrollToBottom(): void {
    this.stick = true;
    this.follow();
  }

  /** Restores a persisted position (after the view was hidden and shown again). */
  restore(position: ScrollPosition): void {
    if (position.atBottom) {
      this.scrollToBottom();
      return;
    }
    this.container.scrollTop = position.scrollTop;
    this.stick = this.atBottom();
    this.updateJumpButton();
  }

  private atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.container;
    return scrollHeight - scrollTop - clientHeight <= BOTTOM_SLACK_PX;
  }

  private onScroll(): void {
    this.stick = this.atBottom();
    this.updateJumpButton();
    this.saveFrame ??= requestAnimationFrame(() => {
      this.saveFrame = undefined;
      this.onSave({ scrollTop: Math.round(this.container.scrollTop), atBottom: this.stick });
    });
  }

  private updateJumpButton(): void {
    this.jumpButton.hidden = this.stick || this.container.scrollHeight <= this.container.clientHeight;
  }
}
