// Lambda@Edge function (nodejs24.x) for the origin-request event of the proxy's cache behaviors,
// associated with IncludeBody. It runs only when CloudFront goes to the origin (every request on the
// uncached behavior, cache misses on the agent behavior).
//
// Why it exists: CloudFront's origin access control signs each request to the Function URL with
// SigV4, and Lambda accepts no unsigned payload. For a request with a body, CloudFront takes the
// payload hash from x-amz-content-sha256, which browsers never send. So this function computes it
// from the bytes CloudFront will forward.
//
// It also overwrites x-fpjs-viewer-ip with clientIp. The viewer-request CloudFront Function sets the
// same value; repeating it here means a behavior that lacks the viewer function still cannot pass a
// client-chosen IP to the proxy (the viewer Host, by contrast, is only visible at viewer request).
//
// Standard library only: Lambda@Edge has no layers and no environment variables.

import { createHash } from 'node:crypto';

const VIEWER_IP = 'x-fpjs-viewer-ip';
const CONTENT_SHA256 = 'x-amz-content-sha256';

/** Methods whose body the proxy accepts; Lambda checks their payload hash even when the body is empty. */
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export const handler = async (event) => {
    const request = event.Records[0].cf.request;
    const body = request.body;

    if (body?.inputTruncated) {
        // CloudFront exposes at most 1 MB here. A hash of a prefix would only turn into a 403 from
        // Lambda, so refuse the request with a clear status instead.
        return errorResponse(request, 413, 'Payload Too Large',
            'Request body exceeds 1 MB, the most CloudFront shows an origin-request function.');
    }

    request.headers[VIEWER_IP] = [{ key: 'X-Fpjs-Viewer-Ip', value: request.clientIp }];

    const bytes = body === undefined ? undefined : bodyBytes(body);
    if (BODY_METHODS.has(request.method) || (bytes !== undefined && bytes.length > 0)) {
        if (bytes === undefined) {
            // The association lacks IncludeBody: any hash would be a guess, and a wrong one a 403.
            return errorResponse(request, 500, 'Internal Server Error',
                'Edge misconfiguration: the origin-request association needs IncludeBody.');
        }
        request.headers[CONTENT_SHA256] = [{ key: 'X-Amz-Content-Sha256', value: sha256Hex(bytes) }];
    } else {
        // Without a body CloudFront signs on its own; a client's value would only break the signature.
        delete request.headers[CONTENT_SHA256];
    }

    return request;
};

function bodyBytes(body) {
    const data = body.data ?? '';
    return body.encoding === 'base64' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
}

function sha256Hex(bytes) {
    return createHash('sha256').update(bytes).digest('hex');
}

function errorResponse(request, status, statusDescription, message) {
    const headers = {
        'content-type': [{ key: 'Content-Type', value: 'application/json' }],
        'cache-control': [{ key: 'Cache-Control', value: 'no-store' }],
    };
    // The agent calls cross-origin with credentials when the proxy has a host of its own; without
    // these headers the browser would hide the status from it.
    const origin = request.headers.origin?.[0]?.value;
    if (origin) {
        headers['access-control-allow-origin'] = [{ key: 'Access-Control-Allow-Origin', value: origin }];
        headers['access-control-allow-credentials'] = [{ key: 'Access-Control-Allow-Credentials', value: 'true' }];
        headers.vary = [{ key: 'Vary', value: 'Origin' }];
    }
    return {
        status: String(status),
        statusDescription,
        headers,
        body: JSON.stringify({ error: message }),
    };
}
