/** WebcastOecLiveShoppingMessage -> oecLiveShopping: a product pinned in the LIVE (inferred layout). */

import type { OecLiveShoppingData, UpstreamEvent } from '@tiktool/protocol';
import type { WireReader } from '../../wire/reader.js';
import { eventMeta, readCommon, type CommonFields, type MessageContext } from '../common.js';
import { expectEnd, key, LEN } from '../fields.js';

type Product = Omit<OecLiveShoppingData, 'msgId' | 'timestamp'>;

function readProduct(r: WireReader, end: number, p: Product): void {
  while (r.pos < end) {
    const tag = r.tag();
    switch (tag) {
      case key(1, LEN):
        p.title = r.string();
        break;
      case key(2, LEN):
        p.price = r.string();
        break;
      case key(3, LEN):
        p.imageUrl = r.string();
        break;
      case key(4, LEN):
        p.productUrl = r.string();
        break;
      case key(7, LEN):
        p.shopName = r.string();
        break;
      default:
        r.skipType(tag & 7);
    }
  }
  expectEnd(r, end);
}

export function decodeOecLiveShopping(r: WireReader, end: number, ctx: MessageContext): UpstreamEvent<'oecLiveShopping'> {
  let common: CommonFields | undefined;
  const product: Product = { title: '', price: '', imageUrl: '', productUrl: '', shopName: '' };
  while (r.pos < end) {
    const tag = r.tag();
    if (tag === key(1, LEN)) common = readCommon(r, r.lengthEnd());
    else if (tag === key(4, LEN)) readProduct(r, r.lengthEnd(), product);
    else r.skipType(tag & 7);
  }
  const meta = eventMeta(common, ctx);
  return { event: 'oecLiveShopping', data: { ...meta, ...product } };
}
