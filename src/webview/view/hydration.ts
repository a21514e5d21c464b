/**
 * The markdown of a restored chat's older answers, rendered after the last screen: they show their
 * plain text (findable, cheap) until then, and render nearest the end first when the page is idle,
 * at once when they come into view, and next when scrolled near. The view keeps showing what it
 * showed while they change height.
 */
import type { MessageView } from './messageView';

/** Deferred messages rendered per idle callback even when the idle period is over (about 1 ms each). */
const MIN_PER_IDLE = 8;

export class Hydration {
  /** Deferred views, nearest the end first. */
  private pending: MessageView[] = [];
  private idle: number | undefined;

  /**
   * @param list the scrolling conversation
   * @param settled true once no older messages are still to come (then `data-all-rendered` can be set)
   */
  constructor(
    private readonly list: HTMLElement,
    private readonly settled: () => boolean,
  ) {
    list.addEventListener('scroll', () => this.onScroll(), { passive: true });
  }

  /** Starts over with these deferred views (nearest the end first). */
  reset(views: readonly MessageView[]): void {
    this.pending = views.filter((v) => v.pending);
    this.schedule();
  }

  /** Older deferred views, oldest first, added above the others. */
  addOlder(views: readonly MessageView[]): void {
    this.pending.push(...views.filter((v) => v.pending).reverse());
    this.schedule();
  }

  /** Renders every deferred message now (before restoring a scroll position measured on them). */
  all(): void {
    this.hydrate([...this.pending]);
  }

  /** Runs `render`, then scrolls so that the bottom of the view shows what it showed (what changed is above it). */
  keepingView(render: () => void): void {
    const fromBottom = this.list.scrollHeight - this.list.scrollTop;
    render();
    this.list.scrollTop = this.list.scrollHeight - fromBottom;
    this.schedule();
  }

  /** (Re)plans the idle rendering; marks the list `data-all-rendered` when nothing is left. */
  schedule(): void {
    if (this.idle !== undefined) cancelIdleCallback(this.idle);
    this.idle = undefined;
    if (this.pending.length === 0 && this.settled()) {
      this.list.dataset.allRendered = 'true';
      return;
    }
    delete this.list.dataset.allRendered;
    if (this.pending.length === 0) return;
    this.idle = requestIdleCallback(
      (deadline) => {
        this.idle = undefined;
        this.hydrateIdle(deadline);
      },
      { timeout: 200 },
    );
  }

  /**
   * Renders the deferred messages in the view now, until none is left there (rendered, one may be
   * shorter than its text and show the one above). True when it rendered any.
   */
  renderVisible(): boolean {
    let rendered = false;
    for (let visible = this.near(0); visible.length > 0; visible = this.near(0)) {
      this.hydrate(visible);
      rendered = true;
    }
    return rendered;
  }

  /**
   * Scrolled: what came into view renders now (before this frame paints); what is within a screen
   * of it renders next, when the page is idle (the user may scroll on).
   */
  private onScroll(): void {
    if (this.pending.length === 0) return;
    this.renderVisible();
    const near = new Set(this.near(1));
    if (near.size === 0) return;
    this.pending = [...near, ...this.pending.filter((view) => !near.has(view))];
    this.schedule();
  }

  /** The deferred views within `screens` view heights of the view (0: in it), nearest the end first. */
  private near(screens: number): MessageView[] {
    if (this.pending.length === 0) return [];
    const box = this.list.getBoundingClientRect();
    if (box.height <= 0) return [];
    const margin = box.height * screens;
    return this.pending.filter((view) => {
      const r = view.element.getBoundingClientRect();
      return r.bottom > box.top - margin && r.top < box.bottom + margin;
    });
  }

  /**
   * Renders deferred messages, nearest the end first, while the idle period lasts — and at least
   * a few, so a page that is never idle (a busy machine) still gets there.
   */
  private hydrateIdle(deadline: IdleDeadline): void {
    this.keepingView(() => {
      let count = 0;
      while (this.pending.length > 0 && (count < MIN_PER_IDLE || deadline.timeRemaining() > 2)) {
        this.pending.shift()?.hydrate();
        count++;
      }
    });
  }

  /** Renders `views` (deferred ones) now. */
  private hydrate(views: readonly MessageView[]): void {
    const done = new Set(views);
    this.keepingView(() => {
      for (const view of views) view.hydrate();
      this.pending = this.pending.filter((view) => !done.has(view));
    });
  }
}
