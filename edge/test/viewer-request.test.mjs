import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

// The CloudFront Function is a plain script (no modules in cloudfront-js-2.0), so it is run the way
// CloudFront runs it: the exact file, evaluated in a context of its own, its global `handler` called.
const SOURCE_URL = new URL('../src/viewer-request.js', import.meta.url);
const source = readFileSync(SOURCE_URL, 'utf8');

function loadHandler() {
    const context = vm.createContext({});
    new vm.Script(source, { filename: SOURCE_URL.pathname }).runInContext(context);
    // Objects made inside the context have that context's prototypes; a JSON round trip (which is
    // also what CloudFront does with the returned request) makes them comparable here.
    return (evt) => JSON.parse(JSON.stringify(context.handler(evt)));
}

function event(name) {
    return JSON.parse(readFileSync(new URL(`./events/${name}.json`, import.meta.url), 'utf8'));
}

test('Source_FitsCloudFrontFunctionLimits', () => {
    // 10 KB is CloudFront's maximum function size; the runtime has no require/import/export.
    assert.ok(Buffer.byteLength(source) < 10 * 1024);
    assert.doesNotMatch(source, /\brequire\s*\(|^\s*(import|export)\b/m);
    const context = vm.createContext({});
    new vm.Script(source).runInContext(context);
    assert.equal(typeof context.handler, 'function');
});

test('Post_SetsViewerIpAndHostFromWhatCloudFrontSaw', () => {
    const request = loadHandler()(event('viewer-request-post'));

    assert.deepEqual(request.headers['x-fpjs-viewer-ip'], { value: '203.0.113.178' });
    assert.deepEqual(request.headers['x-fpjs-viewer-host'], { value: 'www.example.com' });
});

test('Post_ReturnsTheRequestWithOtherHeadersUntouched', () => {
    const evt = event('viewer-request-post');
    const before = structuredClone(evt.request);

    const request = loadHandler()(evt);

    assert.equal(request.method, 'POST');
    assert.equal(request.uri, '/fpjs/result');
    assert.deepEqual(request.querystring, before.querystring);
    for (const name of Object.keys(before.headers)) {
        assert.deepEqual(request.headers[name], before.headers[name], name);
    }
    assert.deepEqual(
        Object.keys(request.headers).sort(),
        [...Object.keys(before.headers), 'x-fpjs-viewer-host', 'x-fpjs-viewer-ip'].sort());
});

test('Get_WithSpoofedViewerHeaders_OverwritesBoth', () => {
    const request = loadHandler()(event('viewer-request-spoofed'));

    assert.deepEqual(request.headers['x-fpjs-viewer-ip'], { value: '203.0.113.178' });
    assert.deepEqual(request.headers['x-fpjs-viewer-host'], { value: 'www.example.com' });
});

test('Get_WithSpoofedMultiValueViewerIp_KeepsNoClientValue', () => {
    const request = loadHandler()(event('viewer-request-spoofed'));

    assert.equal(request.headers['x-fpjs-viewer-ip'].multiValue, undefined);
    assert.ok(!JSON.stringify(request.headers['x-fpjs-viewer-ip']).includes('198.51.100.7'));
});

test('Get_FromIpv6Viewer_SetsIpv6Address', () => {
    const request = loadHandler()(event('viewer-request-ipv6'));

    assert.deepEqual(request.headers['x-fpjs-viewer-ip'], { value: '2001:db8:85a3::8a2e:370:7334' });
    assert.deepEqual(request.headers['x-fpjs-viewer-host'], { value: 'metrics.example.com' });
});

test('Get_WithoutHostAndWithClientViewerHost_RemovesClientValue', () => {
    const request = loadHandler()(event('viewer-request-no-host'));

    assert.equal(request.headers['x-fpjs-viewer-host'], undefined);
    assert.deepEqual(request.headers['x-fpjs-viewer-ip'], { value: '203.0.113.178' });
});
