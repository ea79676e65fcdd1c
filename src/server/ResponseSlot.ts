import type { HttpAnswer } from '../common/types';

/**
 * The open HTTP request of a synchronous run, as the Response node sees it: the first answer wins, and once the
 * request has been answered otherwise (timeout) the slot is closed and later answers are only recorded.
 */
export class ResponseSlot {
  private sent: HttpAnswer | undefined;
  private closed = false;

  get answer(): HttpAnswer | undefined {
    return this.sent;
  }

  /** Returns whether this answer is the one the caller will receive. */
  offer(answer: HttpAnswer): boolean {
    if (this.closed || this.sent) {
      return false;
    }
    this.sent = answer;
    return true;
  }

  close(): void {
    this.closed = true;
  }
}
