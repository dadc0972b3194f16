import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';

import { loadTemplate, parseTemplate, scenario } from './cfn.mjs';

const ROOT = new URL('../../', import.meta.url);
const template = loadTemplate(new URL('template.yaml', ROOT));

const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const EXISTING_DISTRIBUTION = 'E1PDK09ESKHJWT';
const EDGE_VERSION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fpjs-edge-origin-request:7';

/** The deployment shapes docs/deploy-lambda.md describes. */
const SCENARIOS = {
    newDistribution: () => scenario(template),
    existingDistribution: () => scenario(template, { ExistingDistributionId: EXISTING_DISTRIBUTION }),
    existingSecretWithKmsKey: () => scenario(template, {
        ExistingSecretName: 'prod/fpjs-proxy',
        KmsKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    }, { region: 'eu-central-1' }),
    edgeOnly: () => scenario(template, { Deploy: 'edge-only' }),
    otherRegion: () => scenario(template, { EdgeFunctionVersionArn: EDGE_VERSION_ARN }, { region: 'eu-central-1' }),
};

function ofType(resources, type) {
    return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function single(resources, type) {
    const found = ofType(resources, type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0][1].Properties;
}

function distributionBehaviors(resources) {
    const config = resources.Distribution.Properties.DistributionConfig;
    return [...config.CacheBehaviors, { PathPattern: '(default)', ...config.DefaultCacheBehavior }];
}

function secretValue(resources) {
    return JSON.parse(resources.ProxySecret.Properties.SecretString);
}

// ---------------------------------------------------------------- parsing and parameters

test('Template_WithIntrinsicTags_ParsesToLongForms', () => {
    assert.equal(template.Transform, 'AWS::Serverless-2016-10-31');
    const parsed = parseTemplate([
        'A: !Ref X',
        'B: !GetAtt Res.Attr.Sub',
        'C: !Sub "arn:${AWS::Partition}:x"',
        'D: !If [Cond, !Join [",", [a, b]], !Select [0, !Split ["/", !GetAtt U.Url]]]',
        'E: !Not [!Equals [!Ref P, ""]]',
        'F: !FindInMap [M, K, V]',
        'G: !Base64 { "Fn::Sub": x }',
    ].join('\n'));
    assert.deepEqual(parsed, {
        A: { Ref: 'X' },
        B: { 'Fn::GetAtt': ['Res', 'Attr.Sub'] },
        C: { 'Fn::Sub': 'arn:${AWS::Partition}:x' },
        D: { 'Fn::If': ['Cond', { 'Fn::Join': [',', ['a', 'b']] }, { 'Fn::Select': [0, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['U', 'Url'] }] }] }] },
        E: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'P' }, ''] }] },
        F: { 'Fn::FindInMap': ['M', 'K', 'V'] },
        G: { 'Fn::Base64': { 'Fn::Sub': 'x' } },
    });
});

test('Parameters_AreAllConstrained', () => {
    for (const [name, parameter] of Object.entries(template.Parameters)) {
        const constrained = parameter.Type === 'Number'
            ? parameter.AllowedValues !== undefined || (parameter.MinValue !== undefined && parameter.MaxValue !== undefined)
            : parameter.AllowedPattern !== undefined || parameter.AllowedValues !== undefined;
        assert.ok(constrained, `${name} has no AllowedPattern/AllowedValues/range`);
    }
});

test('Parameters_DefaultsSatisfyTheirOwnConstraints', () => {
    for (const [name, parameter] of Object.entries(template.Parameters)) {
        const members = parameter.Type === 'CommaDelimitedList' ? String(parameter.Default).split(',') : [parameter.Default];
        for (const value of members) {
            if (parameter.AllowedPattern !== undefined) {
                assert.match(String(value), new RegExp(parameter.AllowedPattern), name);
            }
            if (parameter.AllowedValues !== undefined) {
                assert.ok(parameter.AllowedValues.map(String).includes(String(value)), name);
            }
        }
    }
});

const PATTERN_CASES = [
    ['BehaviorPath', 'ore54guier', true], ['BehaviorPath', 'a/b', false], ['BehaviorPath', '', false],
    ['BehaviorPath', '../x', false],
    ['IngressBaseUrl', 'https://api.fpjs.io', true], ['IngressBaseUrl', 'https://api.fpjs.io/path', false],
    ['IngressBaseUrl', 'http://api.fpjs.io', false],
    ['ExistingSecretName', 'prod/fpjs-proxy', true], ['ExistingSecretName', 'name with space', false],
    ['KmsKeyArn', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', true],
    ['KmsKeyArn', 'alias/my-key', false],
    ['ExistingDistributionId', EXISTING_DISTRIBUTION, true], ['ExistingDistributionId', 'e1pdk09eskhjwt', false],
    ['DomainNames', 'metrics.example.com', true], ['DomainNames', 'https://metrics.example.com', false],
    ['CertificateArn', 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012', true],
    ['CertificateArn', 'arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012', false],
    ['EdgeFunctionVersionArn', EDGE_VERSION_ARN, true],
    ['EdgeFunctionVersionArn', 'arn:aws:lambda:us-east-1:123456789012:function:fpjs-edge-origin-request', false],
    ['EdgeFunctionVersionArn', 'arn:aws:lambda:eu-west-1:123456789012:function:fpjs-edge-origin-request:7', false],
];

for (const [name, value, valid] of PATTERN_CASES) {
    test(`Parameter_${name}_${valid ? 'Accepts' : 'Rejects'}_${JSON.stringify(value)}`, () => {
        assert.equal(new RegExp(template.Parameters[name].AllowedPattern).test(value), valid);
    });
}

test('Rules_RequireUsEast1WhenTheStackCreatesTheEdgeFunction', () => {
    const rule = template.Rules.EdgeFunctionOnlyInUsEast1;
    assert.deepEqual(rule.RuleCondition, { 'Fn::Equals': [{ Ref: 'EdgeFunctionVersionArn' }, ''] });
    assert.deepEqual(rule.Assertions[0].Assert, { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] });
    assert.match(template.Description, /us-east-1/);
});

// ---------------------------------------------------------------- proxy function and Function URL

test('ProxyFunction_IsTheNativeAotBootstrapOnProvidedAl2023OnAnAlias', () => {
    const proxy = SCENARIOS.newDistribution().resources().ProxyFunction.Properties;

    assert.equal(proxy.Runtime, 'provided.al2023');
    assert.equal(proxy.Handler, 'bootstrap');
    assert.equal(proxy.AutoPublishAlias, 'live');
    assert.equal(proxy.Environment.Variables.FPJS_VIEWER_CONTEXT, 'lambda-edge');
    assert.deepEqual(proxy.Environment.Variables.FPJS_SECRET_NAME, { Ref: 'ProxySecret' });
    assert.equal(proxy.Environment.Variables.FPJS_BEHAVIOR_PATH, 'fpjs');
});

test('ProxyFunction_IsBuiltBySamThroughTheMakefileTargetThatRunsThePublishScript', () => {
    const fn = template.Resources.ProxyFunction;
    assert.equal(fn.Metadata.BuildMethod, 'makefile');
    assert.equal(fn.Properties.CodeUri, '.');

    // sam build runs `make build-<LogicalId>` in CodeUri with ARTIFACTS_DIR set to the package directory.
    const makefile = readFileSync(new URL(`${fn.Properties.CodeUri}/Makefile`, ROOT), 'utf8');
    const recipe = makefile.match(/^build-ProxyFunction:.*\n((?:\t.*\n)+)/m);
    assert.ok(recipe, 'Makefile has no build-ProxyFunction target with a recipe');
    assert.match(recipe[1], /scripts\/publish-lambda\.sh \$\(ARCHITECTURE\) "?\$\(ARTIFACTS_DIR\)"?/);
    assert.match(makefile, /^ARCHITECTURE \?= arm64$/m);
    assert.equal(template.Parameters.Architecture.Default, 'arm64', 'the Makefile and the template default to one architecture');
    assert.ok(statSync(new URL('scripts/publish-lambda.sh', ROOT)).mode & 0o111, 'scripts/publish-lambda.sh is executable');
});

for (const architecture of ['arm64', 'x86_64']) {
    test(`ProxyFunction_Architecture_${architecture}_IsTheFunctionsOnlyArchitecture`, () => {
        const proxy = scenario(template, { Architecture: architecture }).resources().ProxyFunction.Properties;

        assert.deepEqual(proxy.Architectures, [architecture]);
    });
}

test('ProxyFunction_WorkstationGcWithABoundedGen0BudgetInTheFormNativeAotReads', () => {
    const variables = SCENARIOS.newDistribution().resources().ProxyFunction.Properties.Environment.Variables;

    assert.equal(variables.DOTNET_gcServer, '0');

    // Native AOT reads DOTNET_GC* values as bare hexadecimal: with a 0x prefix the setting is ignored.
    assert.match(variables.DOTNET_GCgen0size, /^[0-9a-f]+$/);
    // 6 MiB, not the container's 4: the start-up allocates between 4 and 6 MiB, and a collection inside
    // the first invocation lengthens the cold start (docs/deploy-lambda.md, "Measured").
    assert.equal(parseInt(variables.DOTNET_GCgen0size, 16), 6 * 1024 * 1024);
});

test('ProxyFunction_SocketCompletionsInlineAndNoThreadPoolSpinning', () => {
    const variables = SCENARIOS.newDistribution().resources().ProxyFunction.Properties.Environment.Variables;

    // One invocation at a time: the I/O thread runs each completion itself, and no idle worker spins for
    // work (docs/performance.md, "Tuning"). The same inline completions as the container image.
    assert.equal(variables.DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS, '1');
    assert.equal(variables.DOTNET_ThreadPool_UnfairSemaphoreSpinLimit, '0');
});

test('ProxyFunction_WithExistingSecret_ReadsItByName', () => {
    const proxy = SCENARIOS.existingSecretWithKmsKey().resources().ProxyFunction.Properties;

    assert.equal(proxy.Environment.Variables.FPJS_SECRET_NAME, 'prod/fpjs-proxy');
});

test('FunctionUrl_RequiresIamAuth', () => {
    const proxy = SCENARIOS.newDistribution().resources().ProxyFunction.Properties;

    assert.equal(proxy.FunctionUrlConfig.AuthType, 'AWS_IAM');
});

test('OriginAccessControl_IsLambdaAlwaysSigV4', () => {
    const oac = single(SCENARIOS.newDistribution().resources(), 'AWS::CloudFront::OriginAccessControl');

    assert.equal(oac.OriginAccessControlConfig.OriginAccessControlOriginType, 'lambda');
    assert.equal(oac.OriginAccessControlConfig.SigningBehavior, 'always');
    assert.equal(oac.OriginAccessControlConfig.SigningProtocol, 'sigv4');
});

// CloudFront's names are global to the account: the same stack name in two regions must not collide.
for (const [id, name] of [
    ['OriginAccessControl', (p) => p.OriginAccessControlConfig.Name],
    ['ViewerRequestFunction', (p) => p.Name],
    ['AgentCachePolicy', (p) => p.CachePolicyConfig.Name],
]) {
    test(`${id}_NameIncludesTheRegion`, () => {
        const inUsEast1 = name(scenario(template, {}, { region: 'us-east-1' }).resources()[id].Properties);
        const inEuCentral1 = name(scenario(template, { EdgeFunctionVersionArn: EDGE_VERSION_ARN }, { region: 'eu-central-1' })
            .resources()[id].Properties);

        assert.match(inUsEast1, /us-east-1/);
        assert.match(inEuCentral1, /eu-central-1/);
        assert.notEqual(inUsEast1, inEuCentral1);
        // The longest stack name the edge function allows (49) with the longest region names still fits.
        const longest = name(scenario(template, {}, { stack: 'x'.repeat(49), region: 'ap-southeast-7' }).resources()[id].Properties);
        assert.ok(longest.length <= 64, `${longest.length} characters`);
    });
}

for (const [name, expectedSource] of [
    ['newDistribution', 'arn:aws:cloudfront::123456789012:distribution/${Distribution}'],
    ['existingDistribution', `arn:aws:cloudfront::123456789012:distribution/${EXISTING_DISTRIBUTION}`],
]) {
    test(`Permissions_${name}_BothActionsForCloudFrontOnTheAliasFromThatDistribution`, () => {
        const permissions = ofType(SCENARIOS[name]().resources(), 'AWS::Lambda::Permission').map(([, p]) => p.Properties);

        assert.deepEqual(permissions.map((p) => p.Action).sort(), ['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl']);
        for (const permission of permissions) {
            assert.equal(permission.Principal, 'cloudfront.amazonaws.com');
            assert.equal(permission.SourceArn, expectedSource);
            // The alias SAM creates for AutoPublishAlias, the one the Function URL is attached to.
            assert.deepEqual(permission.FunctionName, { Ref: 'ProxyFunction.Alias' });
        }
        const url = permissions.find((p) => p.Action === 'lambda:InvokeFunctionUrl');
        assert.equal(url.FunctionUrlAuthType, 'AWS_IAM');
        const invoke = permissions.find((p) => p.Action === 'lambda:InvokeFunction');
        assert.equal(invoke.InvokedViaFunctionUrl, true);
    });
}

test('Permissions_NewDistribution_ReferenceTheDistributionResource', () => {
    const source = template.Resources.CloudFrontInvokeFunctionPermission.Properties.SourceArn;

    assert.deepEqual(source['Fn::If'][0], 'CreateDistribution');
    assert.match(source['Fn::If'][1]['Fn::Sub'], /:distribution\/\$\{Distribution\}$/);
    assert.ok(template.Resources.Distribution);
});

// ---------------------------------------------------------------- CloudFront

test('Distribution_OriginIsTheFunctionUrlHostWithOac', () => {
    const config = SCENARIOS.newDistribution().resources().Distribution.Properties.DistributionConfig;

    assert.equal(config.Origins.length, 1);
    const [origin] = config.Origins;
    // Element 2 of "https://<id>.lambda-url.<region>.on.aws/" split on '/' is the host.
    assert.deepEqual(origin.DomainName, { 'Fn::Select': [2, { 'Fn::Split': ['/', { 'Fn::GetAtt': ['ProxyFunctionUrl', 'FunctionUrl'] }] }] });
    assert.deepEqual(origin.OriginAccessControlId, { 'Fn::GetAtt': ['OriginAccessControl', 'Id'] });
    assert.equal(origin.CustomOriginConfig.OriginProtocolPolicy, 'https-only');
});

test('Distribution_BehaviorsForAgentThenIntegrationPath', () => {
    const behaviors = SCENARIOS.newDistribution().resources().Distribution.Properties.DistributionConfig.CacheBehaviors;

    // CloudFront takes the first matching pattern, so the agent must come before the catch-all.
    assert.deepEqual(behaviors.map((b) => b.PathPattern), ['/fpjs/agent', '/fpjs/*']);
});

test('Distribution_BehaviorsFollowPathParameters', () => {
    const resources = scenario(template, { BehaviorPath: 'ore54guier', AgentDownloadPath: 'fp' }).resources();

    assert.deepEqual(
        resources.Distribution.Properties.DistributionConfig.CacheBehaviors.map((b) => b.PathPattern),
        ['/ore54guier/fp', '/ore54guier/*']);
    assert.equal(resources.ProxyFunction.Properties.Environment.Variables.FPJS_BEHAVIOR_PATH, 'ore54guier');
});

test('Distribution_EveryBehaviorAllowsAllSevenMethods', () => {
    for (const behavior of distributionBehaviors(SCENARIOS.newDistribution().resources())) {
        assert.deepEqual([...behavior.AllowedMethods].sort(), ALL_METHODS, behavior.PathPattern);
    }
});

test('Distribution_EveryBehaviorUsesAllViewerExceptHostHeader', () => {
    for (const behavior of distributionBehaviors(SCENARIOS.newDistribution().resources())) {
        assert.equal(behavior.OriginRequestPolicyId, ALL_VIEWER_EXCEPT_HOST_HEADER, behavior.PathPattern);
    }
});

test('Distribution_EveryBehaviorRunsTheViewerFunction', () => {
    for (const behavior of distributionBehaviors(SCENARIOS.newDistribution().resources())) {
        assert.deepEqual(behavior.FunctionAssociations, [
            { EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': ['ViewerRequestFunction', 'FunctionARN'] } },
        ], behavior.PathPattern);
    }
});

test('Distribution_IntegrationPathBehaviorsRunTheOriginRequestFunctionWithBody', () => {
    const config = SCENARIOS.newDistribution().resources().Distribution.Properties.DistributionConfig;

    for (const behavior of config.CacheBehaviors) {
        assert.deepEqual(behavior.LambdaFunctionAssociations, [
            { EventType: 'origin-request', IncludeBody: true, LambdaFunctionARN: { Ref: 'OriginRequestFunction.Version' } },
        ], behavior.PathPattern);
    }
});

test('Distribution_DefaultBehaviorRunsNoLambdaAtEdge', () => {
    // Requests outside the integration path (scanners, junk) must not pay for an edge invocation.
    const config = SCENARIOS.newDistribution().resources().Distribution.Properties.DistributionConfig;

    assert.equal(config.DefaultCacheBehavior.LambdaFunctionAssociations, undefined);
});

test('Distribution_InOtherRegion_AssociatesTheGivenEdgeVersion', () => {
    const resources = SCENARIOS.otherRegion().resources();

    assert.equal(resources.OriginRequestFunction, undefined);
    for (const behavior of resources.Distribution.Properties.DistributionConfig.CacheBehaviors) {
        assert.equal(behavior.LambdaFunctionAssociations[0].LambdaFunctionARN, EDGE_VERSION_ARN);
        assert.equal(behavior.LambdaFunctionAssociations[0].IncludeBody, true);
    }
});

test('Distribution_AgentIsCachedByApiKeyVersionLoaderVersionOnly', () => {
    const resources = SCENARIOS.newDistribution().resources();
    const [agent] = resources.Distribution.Properties.DistributionConfig.CacheBehaviors;
    assert.deepEqual(agent.CachePolicyId, { Ref: 'AgentCachePolicy' });

    const policy = resources.AgentCachePolicy.Properties.CachePolicyConfig;
    const key = policy.ParametersInCacheKeyAndForwardedToOrigin;
    assert.equal(key.QueryStringsConfig.QueryStringBehavior, 'whitelist');
    assert.deepEqual([...key.QueryStringsConfig.QueryStrings].sort(), ['apiKey', 'loaderVersion', 'version']);
    assert.equal(key.HeadersConfig.HeaderBehavior, 'none');
    assert.equal(key.CookiesConfig.CookieBehavior, 'none');
    assert.ok(policy.DefaultTTL <= 60 && policy.MaxTTL <= 3600, 'short TTL');
});

test('Distribution_EverythingButTheAgentIsNotCached', () => {
    const behaviors = distributionBehaviors(SCENARIOS.newDistribution().resources());

    for (const behavior of behaviors.filter((b) => b.PathPattern !== '/fpjs/agent')) {
        assert.equal(behavior.CachePolicyId, CACHING_DISABLED, behavior.PathPattern);
    }
});

test('Distribution_WithDomainNames_UsesTheAcmCertificate', () => {
    const certificate = 'arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012';
    const config = scenario(template, { DomainNames: 'metrics.example.com', CertificateArn: certificate })
        .resources().Distribution.Properties.DistributionConfig;

    assert.deepEqual(config.Aliases, ['metrics.example.com']);
    assert.equal(config.ViewerCertificate.AcmCertificateArn, certificate);
    assert.equal(config.ViewerCertificate.SslSupportMethod, 'sni-only');
});

test('Distribution_WithoutDomainNames_UsesTheCloudFrontCertificate', () => {
    const config = SCENARIOS.newDistribution().resources().Distribution.Properties.DistributionConfig;

    assert.equal(config.Aliases, undefined);
    assert.deepEqual(config.ViewerCertificate, { CloudFrontDefaultCertificate: true });
});

test('ExistingDistribution_CreatesNoDistributionAndOutputsEveryIdToAttach', () => {
    const deployment = SCENARIOS.existingDistribution();
    assert.equal(deployment.resources().Distribution, undefined);

    const outputs = deployment.outputs();
    for (const name of [
        'OriginDomainName', 'OriginAccessControlId', 'ViewerRequestFunctionArn', 'OriginRequestFunctionVersionArn',
        'AgentPathPattern', 'AgentCachePolicyId', 'IntegrationPathPattern', 'IntegrationCachePolicyId',
        'OriginRequestPolicyId', 'ProxyFunctionUrl', 'ProxyFunctionAliasArn', 'SecretId',
    ]) {
        assert.ok(name in outputs, name);
    }
    assert.equal(outputs.AgentPathPattern, '/fpjs/agent');
    assert.equal(outputs.IntegrationPathPattern, '/fpjs/*');
    assert.equal(outputs.OriginRequestPolicyId, ALL_VIEWER_EXCEPT_HOST_HEADER);
    assert.equal(outputs.IntegrationCachePolicyId, CACHING_DISABLED);
});

// ---------------------------------------------------------------- edge functions

test('ViewerRequestFunction_IsTheEdgeFileVerbatim', () => {
    const fn = SCENARIOS.newDistribution().resources().ViewerRequestFunction.Properties;
    const file = readFileSync(new URL('edge/src/viewer-request.js', ROOT), 'utf8');

    assert.equal(fn.FunctionConfig.Runtime, 'cloudfront-js-2.0');
    assert.equal(fn.AutoPublish, true);
    assert.equal(fn.FunctionCode, file,
        'template.yaml ViewerRequestFunction.FunctionCode must be edge/src/viewer-request.js, indented by 8 spaces');
});

test('OriginRequestFunction_IsANodejs24EdgeFunctionWithoutEnvironment', async () => {
    const fn = SCENARIOS.newDistribution().resources().OriginRequestFunction.Properties;

    // nodejs22.x is deprecated on 2027-04-30; nodejs24.x is the newest runtime Lambda@Edge takes.
    assert.equal(fn.Runtime, 'nodejs24.x');
    assert.deepEqual(fn.Architectures, ['x86_64']);
    assert.equal(fn.Environment, undefined);
    assert.ok(fn.Timeout <= 30);
    assert.equal(fn.AutoPublishAlias, 'live');
    const [file, exported] = fn.Handler.split('.');
    assert.ok(statSync(new URL(fn.CodeUri, ROOT)).isDirectory());
    const module = await import(new URL(`${fn.CodeUri}${file}.mjs`, ROOT));
    assert.equal(typeof module[exported], 'function');
    // sam build packs a Node.js function's folder with npm: it needs a package.json, and nothing to install.
    const manifest = JSON.parse(readFileSync(new URL(`${fn.CodeUri}package.json`, ROOT), 'utf8'));
    assert.equal(manifest.dependencies, undefined);
});

test('OriginRequestFunctionRole_IsTrustedByLambdaAndEdgeLambda', () => {
    const role = SCENARIOS.newDistribution().resources().OriginRequestFunctionRole.Properties;
    const [statement] = role.AssumeRolePolicyDocument.Statement;

    assert.equal(statement.Action, 'sts:AssumeRole');
    assert.deepEqual([...statement.Principal.Service].sort(), ['edgelambda.amazonaws.com', 'lambda.amazonaws.com']);
    assert.deepEqual(template.Resources.OriginRequestFunction.Properties.Role, { 'Fn::GetAtt': ['OriginRequestFunctionRole', 'Arn'] });
});

test('EdgeOnly_CreatesOnlyTheEdgeFunctionAndOutputsItsVersion', () => {
    const deployment = SCENARIOS.edgeOnly();

    assert.deepEqual(Object.keys(deployment.resources()).sort(), ['OriginRequestFunction', 'OriginRequestFunctionRole']);
    assert.deepEqual(Object.keys(deployment.outputs()), ['OriginRequestFunctionVersionArn']);
});

// ---------------------------------------------------------------- secret and IAM

test('Secret_Created_HoldsOnlyAnEmptyProxySecretToFillIn', () => {
    const resources = SCENARIOS.newDistribution().resources();

    // Empty: the proxy forwards without FPJS-Proxy-Secret (and its status page says so) until set.
    assert.deepEqual(secretValue(resources), { FPJS_PRE_SHARED_SECRET: '' });
    assert.equal(resources.ProxySecret.Properties.KmsKeyId, undefined);
});

test('Secret_NoParameterCarriesASecret', () => {
    // A secret passed as a parameter would be written into the secret on every update that changes it.
    for (const [name, parameter] of Object.entries(template.Parameters)) {
        assert.notEqual(parameter.NoEcho, true, name);
    }
});

// Every parameter an update may change, except the KMS key (changing it re-encrypts the same value).
const UPDATES = {
    BehaviorPath: 'ore54guier', AgentDownloadPath: 'fp', GetResultPath: 'r', IngressBaseUrl: 'https://eu.api.fpjs.io',
    Architecture: 'x86_64', ProxyMemorySize: 2048, LogRetentionDays: 7, PriceClass: 'PriceClass_100',
};

for (const [name, value] of Object.entries(UPDATES)) {
    test(`Secret_UpdateOf${name}_LeavesTheSecretUntouched`, () => {
        // CloudFormation writes a secret's value only when its SecretString changes: one that depends on
        // no parameter is written once, at creation, and a value set by hand since survives every update.
        const before = SCENARIOS.newDistribution().resources().ProxySecret;
        const after = scenario(template, { [name]: value }).resources().ProxySecret;

        assert.deepEqual(after, before);
    });
}

test('Secret_TemplateValueReferencesNothing', () => {
    assert.equal(typeof template.Resources.ProxySecret.Properties.SecretString, 'string');
    assert.equal(template.Resources.ProxySecret.Properties.GenerateSecretString, undefined);
});

for (const id of ['ProxySecret', 'ProxyLogGroup']) {
    test(`${id}_IsRetainedWhenDeletedOrReplaced`, () => {
        assert.equal(template.Resources[id].DeletionPolicy, 'Retain');
        assert.equal(template.Resources[id].UpdateReplacePolicy, 'Retain');
    });
}

test('Paths_OneSource_FunctionEnvironmentAndPathPatternsFromTheSameParameters', () => {
    const resources = scenario(template, { BehaviorPath: 'ore54guier', AgentDownloadPath: 'fp', GetResultPath: 'r' }).resources();
    const variables = resources.ProxyFunction.Properties.Environment.Variables;

    assert.equal(variables.FPJS_BEHAVIOR_PATH, 'ore54guier');
    assert.equal(variables.FPJS_AGENT_DOWNLOAD_PATH, 'fp');
    assert.equal(variables.FPJS_GET_RESULT_PATH, 'r');
    assert.deepEqual(
        resources.Distribution.Properties.DistributionConfig.CacheBehaviors.map((b) => b.PathPattern),
        ['/ore54guier/fp', '/ore54guier/*']);
    // The proxy lets a secret's paths override its environment: the secret must hold none.
    assert.deepEqual(Object.keys(secretValue(resources)), ['FPJS_PRE_SHARED_SECRET']);
});

test('Secret_Existing_IsNotCreated', () => {
    assert.equal(SCENARIOS.existingSecretWithKmsKey().resources().ProxySecret, undefined);
});

function policyStatements(resources) {
    return ofType(resources, 'AWS::IAM::Role').flatMap(([id, role]) =>
        (role.Properties.Policies ?? []).flatMap((policy) =>
            policy.PolicyDocument.Statement.map((statement) => ({ role: id, ...statement }))));
}

function asList(value) {
    return Array.isArray(value) ? value : [value];
}

test('Iam_ProxyReadsOnlyItsOwnSecret', () => {
    const created = policyStatements(SCENARIOS.newDistribution().resources()).find((s) => s.Sid === 'ReadProxySecret');
    assert.equal(created.Action, 'secretsmanager:GetSecretValue');
    assert.deepEqual(created.Resource, { Ref: 'ProxySecret' });

    const existing = policyStatements(SCENARIOS.existingSecretWithKmsKey().resources()).find((s) => s.Sid === 'ReadProxySecret');
    assert.equal(existing.Resource, 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/fpjs-proxy-??????');
});

test('Iam_KmsDecryptOnlyWithAKeyAndOnlyThroughSecretsManagerForThisSecret', () => {
    assert.equal(policyStatements(SCENARIOS.newDistribution().resources()).find((s) => s.Action === 'kms:Decrypt'), undefined);

    const decrypt = policyStatements(SCENARIOS.existingSecretWithKmsKey().resources()).find((s) => s.Action === 'kms:Decrypt');
    assert.equal(decrypt.Resource, 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    assert.deepEqual(decrypt.Condition, {
        StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' },
        // Secrets Manager puts the secret's ARN in the encryption context: the key may protect other secrets.
        StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:prod/fpjs-proxy-??????' },
    });
});

test('Iam_KmsDecryptForACreatedSecretIsBoundToItsArn', () => {
    const kmsKeyArn = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const resources = scenario(template, { KmsKeyArn: kmsKeyArn }).resources();
    const decrypt = policyStatements(resources).find((s) => s.Action === 'kms:Decrypt');

    assert.equal(resources.ProxySecret.Properties.KmsKeyId, kmsKeyArn);
    assert.deepEqual(decrypt.Condition.StringLike, { 'kms:EncryptionContext:SecretARN': { Ref: 'ProxySecret' } });
    assert.deepEqual(decrypt.Condition.StringEquals, { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' });
});

// The only wildcards a resource may hold, each because the exact name cannot be known:
// - ':*' closing a log group ARN: the log streams Lambda creates in it;
// - 'logs:*:' in the edge function's log group ARNs: replicas log in whichever region served the request;
// - '-??????' closing a secret ARN: the random suffix Secrets Manager adds to a secret's name.
const ALLOWED_WILDCARDS = [
    [/^(arn:aws:logs:)\*(:123456789012:log-group:\/aws\/lambda\/us-east-1\.fpjs-origin-request(:\*)?)$/, '$1REGION$2'],
    [/(:log-group:[^*?]+):\*$/, '$1:STREAMS'],
    [/(:secret:[^*?]+)-\?{6}$/, '$1-SUFFIX'],
];

test('Iam_NoWildcardActionsOrResources', () => {
    for (const [name, deployment] of Object.entries(SCENARIOS)) {
        const resources = deployment().resources();
        for (const statement of policyStatements(resources)) {
            const where = `${name}: ${statement.role}/${statement.Sid}`;
            for (const action of asList(statement.Action)) {
                assert.doesNotMatch(action, /[*?]/, where);
            }
            for (const resource of asList(statement.Resource)) {
                if (typeof resource !== 'string') {
                    // { Ref } / { Fn::GetAtt } of a resource in this stack: one specific ARN.
                    assert.equal(Object.keys(resource).length, 1, where);
                    continue;
                }
                const rest = ALLOWED_WILDCARDS.reduce((value, [pattern, replacement]) => value.replace(pattern, replacement), resource);
                assert.doesNotMatch(rest, /[*?]/, `${where}: ${resource}`);
            }
        }
        for (const [id, role] of ofType(resources, 'AWS::IAM::Role')) {
            // A managed policy would bring statements this test cannot see (AWSLambdaBasicExecutionRole: Resource "*").
            assert.equal(role.Properties.ManagedPolicyArns, undefined, `${name}: ${id}`);
        }
        for (const [id, fn] of ofType(resources, 'AWS::Serverless::Function')) {
            // With Policies (or no Role) SAM would generate a role with AWSLambdaBasicExecutionRole.
            assert.equal(fn.Properties.Policies, undefined, `${name}: ${id}`);
            assert.ok(fn.Properties.Role, `${name}: ${id}`);
        }
        assert.deepEqual(ofType(resources, 'AWS::IAM::Policy'), [], name);
        assert.deepEqual(ofType(resources, 'AWS::IAM::ManagedPolicy'), [], name);
    }
});

test('Iam_WildcardCheckRejectsAWildcard', () => {
    const rest = ALLOWED_WILDCARDS.reduce((value, [pattern, replacement]) => value.replace(pattern, replacement),
        'arn:aws:logs:*:123456789012:log-group:*');
    assert.match(rest, /\*/);
});
