// CloudFront Function (runtime cloudfront-js-2.0) for the viewer-request event of the proxy's cache
// behaviors. It runs on every request, cache hits included, before CloudFront touches the request.
//
// It is the one place that sees the Host the browser asked for: the AllViewerExceptHostHeader origin
// request policy makes CloudFront send the origin's own name as Host, and an origin-request function
// already sees that name. So the viewer's IP and Host are written here into the two headers the proxy
// trusts, always overwriting whatever the client sent under those names.
//
// template.yaml carries this file inline (AWS::CloudFront::Function takes its code as a string);
// tests/template checks that the two copies are identical.

var VIEWER_IP = 'x-fpjs-viewer-ip';
var VIEWER_HOST = 'x-fpjs-viewer-host';

function handler(event) {
    var request = event.request;
    var headers = request.headers;

    // Assigning a new object also drops a client's multiValue list under the same name.
    headers[VIEWER_IP] = { value: event.viewer.ip };

    var host = headers.host;
    if (host && host.value) {
        headers[VIEWER_HOST] = { value: host.value };
    } else {
        // HTTP/1.0 without Host: never let a client-sent value stand in for it.
        delete headers[VIEWER_HOST];
    }

    return request;
}
