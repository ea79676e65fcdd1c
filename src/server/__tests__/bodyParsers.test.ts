import { BodyParseError, bodyTypeOf, parseBodyOfType, parseMultipartBody, parseXmlBody, XML_DEPTH_LIMIT } from '../bodyParsers';

function multipart(boundary: string, parts: Array<{ name: string; value: string; filename?: string }>): Buffer {
  const chunks = parts.map(({ name, value, filename }) =>
    [
      `--${boundary}`,
      `Content-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}`,
      ...(filename ? ['Content-Type: application/octet-stream'] : []),
      '',
      value,
    ].join('\r\n'),
  );
  return Buffer.from(`${chunks.join('\r\n')}\r\n--${boundary}--\r\n`);
}

describe('server/bodyParsers', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/vnd.api+json', 'json'],
    ['application/x-www-form-urlencoded', 'form'],
    ['text/plain; charset=utf-8', 'text'],
    ['application/xml', 'xml'],
    ['text/xml', 'xml'],
    ['application/atom+xml', 'xml'],
    ['multipart/form-data; boundary=x', 'multipart'],
    ['application/octet-stream', null],
    [undefined, null],
  ])('reads %s as %s', (contentType, type) => {
    expect(bodyTypeOf(contentType)).toBe(type);
  });

  it('parses a Twilio-style form with nested keys', async () => {
    const body = await parseBodyOfType('form', Buffer.from('From=%2B15551234567&Body=hi+there&a[b][c]=1'), 'application/x-www-form-urlencoded');
    expect(body).toEqual({ From: '+15551234567', Body: 'hi there', a: { b: { c: '1' } } });
  });

  it('keeps text/plain as the string sent', async () => {
    expect(await parseBodyOfType('text', Buffer.from('  line 1\nline 2 '), 'text/plain')).toBe('  line 1\nline 2 ');
  });

  describe('XML', () => {
    it('keeps attributes (@_name), text (#text) and values as written', () => {
      expect(parseXmlBody('<?xml version="1.0"?><order id="7" paid="true"><amount currency="EUR">010.50</amount><item>a</item><item>b</item></order>')).toEqual({
        '?xml': { '@_version': '1.0' },
        order: { '@_id': '7', '@_paid': 'true', amount: { '#text': '010.50', '@_currency': 'EUR' }, item: ['a', 'b'] },
      });
    });

    it('never expands entities ("billion laughs" stays one reference) and refuses external entities with 400', () => {
      const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><lolz>&lol3;</lolz>`;
      expect(parseXmlBody(laughs)).toMatchObject({ lolz: '&lol3;' });
      const xxe = '<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>';
      expect(() => parseXmlBody(xxe)).toThrow(/External entities are not supported/);
    });

    it(`refuses nesting deeper than ${XML_DEPTH_LIMIT} levels with 400`, () => {
      const deep = (levels: number) => `${'<a>'.repeat(levels)}x${'</a>'.repeat(levels)}`;
      expect(() => parseXmlBody(deep(XML_DEPTH_LIMIT - 1))).not.toThrow();
      expect(() => parseXmlBody(deep(1000))).toThrow(BodyParseError);
      expect(() => parseXmlBody(deep(1000))).toThrow(/nested|depth|exceed/i);
    });

    it('refuses malformed XML with 400 naming the line', () => {
      expect(() => parseXmlBody('<a>\n<b></a>')).toThrow(/not well-formed XML.*line 2/);
    });
  });

  describe('multipart', () => {
    it('reads text fields, a repeated name as an array', async () => {
      const body = multipart('XyZ', [
        { name: 'event', value: 'push' },
        { name: 'tag', value: 'a' },
        { name: 'tag', value: 'b' },
      ]);
      expect(await parseMultipartBody(body, 'multipart/form-data; boundary=XyZ')).toEqual({ event: 'push', tag: ['a', 'b'] });
    });

    it('refuses a file part with 415', async () => {
      const body = multipart('XyZ', [{ name: 'upload', value: 'binary', filename: 'a.bin' }]);
      await expect(parseMultipartBody(body, 'multipart/form-data; boundary=XyZ')).rejects.toMatchObject({ status: 415 });
    });

    it('refuses a multipart type without a boundary with 400', async () => {
      await expect(parseMultipartBody(Buffer.from('x'), 'multipart/form-data')).rejects.toMatchObject({ status: 400 });
    });

    it('keeps a __proto__ field as plain data', async () => {
      const body = multipart('B', [{ name: '__proto__', value: 'x' }]);
      const fields = await parseMultipartBody(body, 'multipart/form-data; boundary=B');
      expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).x).toBeUndefined();
    });
  });

  it('refuses a JSON bare string and a __proto__ key with 400', async () => {
    await expect(Promise.resolve().then(() => parseBodyOfType('json', Buffer.from('"str"'), 'application/json'))).rejects.toMatchObject({ status: 400 });
    await expect(Promise.resolve().then(() => parseBodyOfType('json', Buffer.from('{"__proto__":{"x":1}}'), 'application/json'))).rejects.toMatchObject({ status: 400 });
  });
});
