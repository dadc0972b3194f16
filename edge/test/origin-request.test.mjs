import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { handler } from '../src/origin-request/index.mjs';

// Expected hashes are fixed values computed outside this code (Python's hashlib), not recomputed here.
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const BYTES_0_TO_255_SHA256 = '40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880';
const BYTES_0_TO_255_BASE64_TEXT_SHA256 = 'ab7727e21f4bbba6508dd72804d97435a78eb44a1e277af1c0f65a8522de382e';
const CAFE_JSON_UTF8_SHA256 = '7c2b7fb5cf34a69f1359c88eb6407ab6dc2324dab3ea6987965e9b19bf9b99d1';
const D123_JSON_SHA256 = 'b9adf6e20bab7c5ecc20b56c0b5d6325612f265d8184424370dee0483d7e9349';

/** A fresh copy of a recorded-shape CloudFront event, so that tests never share state. */
function event(name) {
    return JSON.parse(readFileSync(new URL(`./events/${name}.json`, import.meta.url), 'utf8'));
}

function requestOf(evt) {
    return evt.Records[0].cf.request;
}

function header(requestOrResponse, name) {
    const values = requestOrResponse.headers[name];
    return values === undefined ? undefined : values.map((h) => h.value);
}

test('Post_WithBase64Body_SetsHashOfDecodedBytes', async () => {
    const result = await handler(event('origin-request-post-base64'));

    assert.deepEqual(header(result, 'x-amz-content-sha256'), [BYTES_0_TO_255_SHA256]);
    assert.notEqual(header(result, 'x-amz-content-sha256')[0], BYTES_0_TO_255_BASE64_TEXT_SHA256);
});

test('Post_WithBase64Body_ForwardsRequestWithBodyUntouched', async () => {
    const evt = event('origin-request-post-base64');
    const originalBody = structuredClone(requestOf(evt).body);

    const result = await handler(evt);

    assert.equal(result.status, undefined, 'a request, not a generated response');
    assert.equal(result.uri, '/fpjs/result');
    assert.equal(result.querystring, 'region=eu&ci=js/3.12.15');
    assert.deepEqual(result.body, originalBody);
    assert.deepEqual(header(result, 'user-agent'), [
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    ]);
    assert.deepEqual(header(result, 'sec-ch-ua'), ['"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"']);
    assert.deepEqual(header(result, 'cookie'), ['_iidt=7A1dBk0TQkWxPpXh; session=0f9c']);
});

test('Post_WithTextBody_SetsHashOfUtf8Bytes', async () => {
    const result = await handler(event('origin-request-post-text'));

    assert.deepEqual(header(result, 'x-amz-content-sha256'), [CAFE_JSON_UTF8_SHA256]);
});

test('Post_WithEmptyBody_SetsEmptyPayloadHash', async () => {
    const result = await handler(event('origin-request-post-empty'));

    assert.deepEqual(header(result, 'x-amz-content-sha256'), [EMPTY_SHA256]);
});

for (const method of ['PUT', 'PATCH']) {
    test(`${method}_WithBody_SetsHash`, async () => {
        const evt = event('origin-request-post-base64');
        requestOf(evt).method = method;

        const result = await handler(evt);

        assert.deepEqual(header(result, 'x-amz-content-sha256'), [BYTES_0_TO_255_SHA256]);
    });

    test(`${method}_WithEmptyBody_SetsEmptyPayloadHash`, async () => {
        const evt = event('origin-request-post-empty');
        requestOf(evt).method = method;

        const result = await handler(evt);

        assert.deepEqual(header(result, 'x-amz-content-sha256'), [EMPTY_SHA256]);
    });
}

test('Delete_WithBody_SetsHash', async () => {
    const evt = event('origin-request-post-base64');
    requestOf(evt).method = 'DELETE';

    const result = await handler(evt);

    assert.deepEqual(header(result, 'x-amz-content-sha256'), [BYTES_0_TO_255_SHA256]);
});

test('Post_WithTruncatedBody_Answers413WithoutForwarding', async () => {
    const result = await handler(event('origin-request-post-truncated'));

    assert.equal(result.status, '413');
    assert.equal(result.statusDescription, 'Payload Too Large');
    assert.equal(result.uri, undefined, 'a generated response, not a request');
    assert.deepEqual(header(result, 'content-type'), ['application/json']);
    assert.deepEqual(header(result, 'cache-control'), ['no-store']);
    assert.match(JSON.parse(result.body).error, /1 MB/);
});

test('Post_WithTruncatedBody_LetsTheAgentReadTheError', async () => {
    const result = await handler(event('origin-request-post-truncated'));

    assert.deepEqual(header(result, 'access-control-allow-origin'), ['https://www.example.com']);
    assert.deepEqual(header(result, 'access-control-allow-credentials'), ['true']);
    assert.deepEqual(header(result, 'vary'), ['Origin']);
});

test('Post_WithTruncatedBodyAndNoOrigin_AddsNoCorsHeaders', async () => {
    const evt = event('origin-request-post-truncated');
    delete requestOf(evt).headers.origin;

    const result = await handler(evt);

    assert.equal(result.status, '413');
    assert.equal(result.headers['access-control-allow-origin'], undefined);
});

test('Post_WithSpoofedViewerIp_OverwritesWithClientIp', async () => {
    const result = await handler(event('origin-request-post-spoofed'));

    assert.deepEqual(header(result, 'x-fpjs-viewer-ip'), ['203.0.113.178']);
});

test('Post_WithClientPayloadHash_ReplacesItWithTheBodyHash', async () => {
    const result = await handler(event('origin-request-post-spoofed'));

    assert.deepEqual(header(result, 'x-amz-content-sha256'), [D123_JSON_SHA256]);
});

test('Get_FromIpv6Client_SetsViewerIpToIpv6ClientIp', async () => {
    const result = await handler(event('origin-request-get-agent-ipv6'));

    assert.deepEqual(header(result, 'x-fpjs-viewer-ip'), ['2001:db8:85a3::8a2e:370:7334']);
});

test('Get_WithClientPayloadHash_RemovesIt', async () => {
    const result = await handler(event('origin-request-get-agent-ipv6'));

    assert.equal(result.headers['x-amz-content-sha256'], undefined);
    assert.equal(result.querystring, 'apiKey=PUBLICKEY123&version=3&loaderVersion=3.12.15');
});

test('Get_WithoutBodyObject_ForwardsWithoutHash', async () => {
    const evt = event('origin-request-get-agent-ipv6');
    delete requestOf(evt).body;

    const result = await handler(evt);

    assert.equal(result.status, undefined);
    assert.equal(result.headers['x-amz-content-sha256'], undefined);
});

test('AnyRequest_LeavesViewerHostFromViewerFunctionAlone', async () => {
    const result = await handler(event('origin-request-post-base64'));

    assert.deepEqual(header(result, 'x-fpjs-viewer-host'), ['www.example.com']);
    assert.deepEqual(header(result, 'host'), ['abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws']);
});

test('Post_WithoutIncludeBody_Answers500NamingTheMisconfiguration', async () => {
    const result = await handler(event('origin-request-post-without-include-body'));

    assert.equal(result.status, '500');
    assert.match(JSON.parse(result.body).error, /IncludeBody/);
});
