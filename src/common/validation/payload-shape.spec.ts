import { findPayloadFault, MAX_PAYLOAD_DEPTH } from './payload-shape';

const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) {
    value = i % 2 === 0 ? [value] : { a: value };
  }
  return value;
};

describe('findPayloadFault', () => {
  it('should accept the shapes the API takes', () => {
    expect(findPayloadFault({ title: 'x', users: ['a', 'b'], is_public: true })).toBeNull();
    expect(findPayloadFault({ message_ids: [] })).toBeNull();
    expect(findPayloadFault(undefined)).toBeNull();
    expect(findPayloadFault('text')).toBeNull();
    expect(findPayloadFault(nested(MAX_PAYLOAD_DEPTH))).toBeNull();
  });

  it('should refuse nesting deeper than the limit, however deep, without overflowing', () => {
    expect(findPayloadFault(nested(MAX_PAYLOAD_DEPTH + 1))).toMatchObject({ code: 'invalid' });
    expect(findPayloadFault(nested(1_000_000))).toMatchObject({ code: 'invalid' });
  });

  it('should refuse keys that name built-in object properties, with their path', () => {
    expect(findPayloadFault(JSON.parse('{"title": "x", "__proto__": {"is_public": false}}'))).toEqual({
      code: 'unknown_field',
      message: '__proto__ is not an accepted field',
      field: '__proto__',
    });
    expect(findPayloadFault({ constructor: { prototype: {} } })).toMatchObject({ field: 'constructor' });
    expect(findPayloadFault({ hasOwnProperty: '1' })).toMatchObject({ field: 'hasOwnProperty' });
    expect(findPayloadFault({ users: [{ toString: 'x' }] })).toMatchObject({ field: 'users.toString' });
  });

  it('should accept such names as values', () => {
    expect(findPayloadFault({ title: 'constructor', users: ['__proto__'] })).toBeNull();
  });
});
