import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { loadTemplate, scenario } from './cfn.mjs';

// The dashboard and alarms of docs/observability.md read the EMF metrics the proxy writes: every
// metric and dimension they name must be one the proxy's EMF writer emits.
const ROOT = new URL('../../', import.meta.url);
const template = loadTemplate(new URL('template.yaml', ROOT));
const emfWriter = readFileSync(new URL('src/ProxyHost/Telemetry/EmfMetricsWriter.cs', ROOT), 'utf8');
const DASHBOARD_TYPES = ['AWS::CloudWatch::Dashboard', 'AWS::CloudWatch::Alarm'];

function observability(resources) {
    return Object.fromEntries(Object.entries(resources).filter(([, r]) => DASHBOARD_TYPES.includes(r.Type)));
}

function emitted(name) {
    return emfWriter.includes(`"${name}"`);
}

test('Dashboard_ByDefault_IsNotCreated', () => {
    assert.deepEqual(observability(scenario(template).resources()), {});
});

test('Dashboard_EdgeOnly_IsNotCreated', () => {
    assert.deepEqual(observability(scenario(template, { Deploy: 'edge-only', EnableDashboard: 'true' }).resources()), {});
});

test('Dashboard_Enabled_CreatesTheDashboardAndTwoAlarms', () => {
    const created = observability(scenario(template, { EnableDashboard: 'true' }, { region: 'eu-west-1', stack: 'shop' }).resources());
    assert.deepEqual(Object.keys(created).sort(), ['ProxyDashboard', 'ProxyErrorRateAlarm', 'ProxySecretStaleAlarm']);

    const dashboard = created.ProxyDashboard.Properties;
    assert.equal(dashboard.DashboardName, 'shop-fingerprint-proxy');
    const body = JSON.parse(dashboard.DashboardBody);
    assert.equal(body.widgets.length, 4);
    for (const widget of body.widgets) {
        assert.equal(widget.properties.region, 'eu-west-1');
        for (const line of widget.properties.metrics) {
            const text = JSON.stringify(line);
            for (const [, name] of text.matchAll(/MetricName=\\"(\w+)\\"/g)) {
                assert.ok(emitted(name), `${name} is written by the proxy`);
            }
            if (typeof line[0] === 'string') {
                assert.equal(line[0], 'FingerprintProxy');
                assert.ok(emitted(line[1]), `${line[1]} is written by the proxy`);
            }
        }
    }
});

test('Alarms_NameOnlyMetricsAndDimensionsTheProxyWrites', () => {
    const created = observability(scenario(template, { EnableDashboard: 'true' }).resources());
    const rate = created.ProxyErrorRateAlarm.Properties;
    const stats = rate.Metrics.filter((m) => m.MetricStat).map((m) => m.MetricStat.Metric);
    assert.deepEqual(stats.map((m) => m.Dimensions[0].Value).sort(), ['2xx', '3xx', '4xx', '5xx']);
    for (const metric of stats) {
        assert.equal(metric.Namespace, 'FingerprintProxy');
        assert.ok(emitted(metric.MetricName));
        // Requests is published by StatusClass alone as well as by RouteKind and StatusClass.
        assert.deepEqual(metric.Dimensions.map((d) => d.Name), ['StatusClass']);
    }
    assert.match(emfWriter, /Rollup: \["StatusClass"\]/);

    const stale = created.ProxySecretStaleAlarm.Properties;
    assert.equal(stale.MetricName, 'SettingsAge');
    assert.ok(emitted('SettingsAge'));
    assert.deepEqual(stale.Dimensions, [{ Name: 'Source', Value: 'secret' }]);
    assert.equal(stale.Threshold, 2 * 300);
});
