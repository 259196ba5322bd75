// Records of one collection in updated_at order. Every write gets the newest stamp, so it is
// appended at the end; the record's older entry goes stale and is skipped (and compacted away).
// Listing from a stamp is a binary search, not a scan of the whole collection.

interface Entry {
  stamp: number;
  id: string;
}

export class OrderedLog {
  private entries: Entry[] = [];
  private readonly current = new Map<string, number>();
  private stale = 0;

  append(id: string, stamp: number): void {
    if (this.current.has(id)) this.stale += 1;
    this.current.set(id, stamp);
    this.entries.push({ stamp, id });
    if (this.stale > 1024 && this.stale > this.entries.length / 2) {
      this.entries = this.entries.filter((entry) => this.current.get(entry.id) === entry.stamp);
      this.stale = 0;
    }
  }

  /** Ids in stamp order whose stamp is greater than `afterStamp`. */
  *after(afterStamp: number): Generator<Entry> {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle] as Entry).stamp <= afterStamp) low = middle + 1;
      else high = middle;
    }
    for (let i = low; i < this.entries.length; i++) {
      const entry = this.entries[i] as Entry;
      if (this.current.get(entry.id) === entry.stamp) yield entry;
    }
  }
}
