// One writer per sheet, as Smartsheet enforces: a write arriving while another write to the same
// sheet is still being saved fails with errorCode 4004 ("save collision"). In-process handlers are
// synchronous, so nothing overlaps unless a save takes time: `saveDelayMs` makes every save slow,
// and `holdNextWrite` parks exactly one write so a test can send a second one deterministically.
import { apiErrors } from './errors.ts';

export interface WriteHold {
  /** Resolves once a write to the sheet has taken the lock and is parked. */
  arrived: Promise<void>;
  /** Lets the parked write finish. */
  release(): void;
}

export class SheetWriteLocks {
  private readonly busy = new Set<number>();
  private readonly holds = new Map<number, { arrived: () => void; released: Promise<void> }>();
  saveDelayMs = 0;

  /** Runs a write under the sheet's lock, or throws the API's 4004 when the sheet is busy. */
  async run<T>(sheetId: number, write: () => T): Promise<T> {
    if (this.busy.has(sheetId)) throw apiErrors.saveCollision();
    this.busy.add(sheetId);
    try {
      const hold = this.holds.get(sheetId);
      if (hold) {
        this.holds.delete(sheetId);
        hold.arrived();
        await hold.released;
      }
      if (this.saveDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.saveDelayMs));
      return write();
    } finally {
      this.busy.delete(sheetId);
    }
  }

  holdNextWrite(sheetId: number): WriteHold {
    let arrived!: () => void;
    let release!: () => void;
    const arrivedPromise = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(sheetId, { arrived, released });
    return { arrived: arrivedPromise, release };
  }
}
