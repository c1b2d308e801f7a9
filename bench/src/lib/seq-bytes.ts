/** Reading event seqs straight from frame bytes, without parsing the JSON. */

/** An envelope's data object closes right before its seq: `{"event":..,"data":{..},"seq":N}`. */
const SEQ_MARK = Buffer.from('},"seq":');

/**
 * Calls fn(seq) for every envelope in a frame: one object, or an array of them (batch=1).
 * Inside JSON strings a quote is escaped, so the mark cannot match there.
 */
export function forEachSeq(buf: Buffer, fn: (seq: number) => void): void {
  let i = buf.indexOf(SEQ_MARK);
  while (i !== -1) {
    let j = i + SEQ_MARK.length;
    let seq = 0;
    for (let c = buf[j]; c >= 48 && c <= 57; c = buf[++j]) seq = seq * 10 + (c - 48);
    fn(seq);
    i = buf.indexOf(SEQ_MARK, j);
  }
}
