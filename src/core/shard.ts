/** One slice of the customer orgs: `index` is 1-based, as written on the command line (`--shard 2/4`). */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * The shard (0-based) a resource name falls in: FNV-1a over its UTF-16 code units. Stable across
 * runs, machines and manifest order, so a matrix job always gets the same orgs.
 */
export function shardOf(name: string, count: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h % count;
}

export function inShard(name: string, shard: Shard): boolean {
  return shardOf(name, shard.count) === shard.index - 1;
}

export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
