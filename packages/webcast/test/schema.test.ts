import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Method, webcastSchema } from '../src/index.js';

const schema = webcastSchema();

function fieldNumber(message: string, field: string): number | undefined {
  return schema.type(message).fields[field]?.id;
}

test('every mapped method has a message in webcast.proto', () => {
  for (const method of Object.values(Method)) assert.ok(schema.has(method), method);
});

test('the v3 field numbers of the issue are the ones in webcast.proto', () => {
  const expected: [string, string, number][] = [
    ['WebcastPushFrame', 'seqId', 1],
    ['WebcastPushFrame', 'logId', 2],
    ['WebcastPushFrame', 'payloadEncoding', 6],
    ['WebcastPushFrame', 'payloadType', 7],
    ['WebcastPushFrame', 'payload', 8],
    ['ProtoMessageFetchResult', 'messages', 1],
    ['ProtoMessageFetchResult', 'cursor', 2],
    ['ProtoMessageFetchResult', 'internalExt', 5],
    ['ProtoMessageFetchResult', 'routeParams', 7],
    ['ProtoMessageFetchResult', 'needAck', 9],
    ['ProtoMessageFetchResult', 'pushServer', 10],
    ['BaseProtoMessage', 'method', 1],
    ['BaseProtoMessage', 'payload', 2],
    ['BaseProtoMessage', 'msgId', 3],
    ['User', 'id', 1],
    ['User', 'nickname', 3],
    ['User', 'avatarThumb', 9],
    ['User', 'followInfo', 22],
    ['User', 'displayId', 38],
    ['User', 'secUid', 46],
    ['User', 'badgeList', 64],
    ['User', 'idStr', 1028],
    ['WebcastChatMessage', 'content', 3],
    ['WebcastChatMessage', 'emotes', 13],
    ['WebcastChatMessage', 'userIdentity', 18],
    ['WebcastGiftMessage', 'giftId', 2],
    ['WebcastGiftMessage', 'repeatCount', 5],
    ['WebcastGiftMessage', 'user', 7],
    ['WebcastGiftMessage', 'repeatEnd', 9],
    ['WebcastGiftMessage', 'groupId', 11],
    ['WebcastGiftMessage', 'gift', 15],
    ['GiftStruct', 'type', 11],
    ['GiftStruct', 'diamondCount', 12],
    ['GiftStruct', 'name', 16],
    ['WebcastLikeMessage', 'count', 2],
    ['WebcastLikeMessage', 'total', 3],
    ['WebcastLikeMessage', 'user', 5],
    ['WebcastMemberMessage', 'action', 10],
    ['WebcastSocialMessage', 'user', 2],
    ['WebcastRoomUserSeqMessage', 'ranks', 2],
    ['WebcastRoomUserSeqMessage', 'total', 3],
    ['WebcastControlMessage', 'action', 2],
  ];
  for (const [message, field, number] of expected) assert.equal(fieldNumber(message, field), number, `${message}.${field}`);
});

test('int64 decodes to decimal strings from any input form; defaults are left out', () => {
  const value = {
    roomId: '9223372036854775807',
    liveId: 12,
    identity: 'audience',
    cursor: '',
    accountType: -5,
    enterUniqueId: 7_300_000_000_000_000_123n,
    isAnchorContinueKeepMsg: false,
  };
  const decoded = schema.decode('ImEnterRoomMessage', schema.encode('ImEnterRoomMessage', value));
  assert.deepEqual(decoded, {
    roomId: '9223372036854775807',
    liveId: '12',
    identity: 'audience',
    accountType: -5,
    enterUniqueId: '7300000000000000123',
  });
  assert.throws(() => schema.type('NoSuchMessage'), /unknown message type/);
});

test('generic encode and decode agree, including maps and repeated messages', () => {
  const value = {
    messages: [{ method: 'WebcastChatMessage', payload: Buffer.from([1, 2, 3]), msgId: '7300000000000000001' }],
    cursor: 'r-1',
    now: '1700000000000',
    internalExt: 'ext',
    routeParams: { a: '1', b: '2' },
    needAck: true,
    pushServer: 'wss://push',
  };
  const decoded = schema.decode('ProtoMessageFetchResult', schema.encode('ProtoMessageFetchResult', value));
  assert.deepEqual(JSON.parse(JSON.stringify(decoded)), JSON.parse(JSON.stringify(value)));
});
