// Reads a CloudFormation/SAM template the way CloudFormation does, for tests: the short-form intrinsic
// tags (!Ref, !GetAtt, !Sub, !If, ...) become their long JSON forms, and `evaluate` resolves the
// intrinsics that depend only on parameters and conditions, so that a test can ask "with these
// parameters, what does CloudFront get?" and compare plain values. References to resources stay
// symbolic ({ Ref: 'Distribution' }, '${Distribution}' inside a Sub), as CloudFormation only knows
// them at deploy time.

import { readFileSync } from 'node:fs';
import { parse, YAMLMap } from 'yaml';

const FUNCTIONS = [
    'And', 'Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'GetAtt', 'If', 'ImportValue', 'Join',
    'Not', 'Or', 'Select', 'Split', 'Sub', 'Transform', 'ToJsonString', 'Length',
];

function wrap(key) {
    return (node) => {
        const map = new YAMLMap();
        map.set(key, node);
        return map;
    };
}

const customTags = [
    { tag: '!Ref', resolve: (value) => ({ Ref: value }) },
    { tag: '!Condition', resolve: (value) => ({ Condition: value }) },
    ...FUNCTIONS.flatMap((name) => [
        // !GetAtt Resource.Attribute is the one scalar form that is not kept as it is written.
        name === 'GetAtt'
            ? { tag: '!GetAtt', resolve: (value) => ({ 'Fn::GetAtt': splitOnce(value, '.') }) }
            : { tag: `!${name}`, resolve: (value) => ({ [`Fn::${name}`]: value }) },
        { tag: `!${name}`, collection: 'seq', resolve: wrap(`Fn::${name}`) },
        { tag: `!${name}`, collection: 'map', resolve: wrap(`Fn::${name}`) },
    ]),
];

function splitOnce(value, separator) {
    const at = value.indexOf(separator);
    return [value.slice(0, at), value.slice(at + 1)];
}

export function parseTemplate(text) {
    return parse(text, { customTags, uniqueKeys: true });
}

export function loadTemplate(url) {
    return parseTemplate(readFileSync(url, 'utf8'));
}

const NO_VALUE = Symbol('AWS::NoValue');

/**
 * The parameter values CloudFormation would use: the template's defaults overridden by `overrides`,
 * plus pseudo parameters for a stack named `stack` in `region`.
 */
export function parameterValues(template, overrides = {}, { region = 'us-east-1', stack = 'fpjs' } = {}) {
    const values = {
        'AWS::Partition': 'aws',
        'AWS::Region': region,
        'AWS::AccountId': '123456789012',
        'AWS::StackName': stack,
        'AWS::URLSuffix': 'amazonaws.com',
    };
    for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
        const value = name in overrides ? overrides[name] : parameter.Default;
        values[name] = parameter.Type === 'CommaDelimitedList' && typeof value === 'string'
            ? value.split(',')
            : value;
    }
    return values;
}

/** A deployment as CloudFormation would see it: parameter values and the conditions they imply. */
export function scenario(template, overrides = {}, options = {}) {
    const params = parameterValues(template, overrides, options);
    const context = { template, params, conditions: {} };
    for (const name of Object.keys(template.Conditions ?? {})) {
        conditionValue(name, context);
    }
    return {
        params,
        conditions: context.conditions,
        /** Resources created in this scenario, their properties evaluated. */
        resources() {
            const created = {};
            for (const [id, resource] of Object.entries(template.Resources)) {
                if (resource.Condition === undefined || context.conditions[resource.Condition]) {
                    created[id] = { ...resource, Properties: evaluate(resource.Properties ?? {}, context) };
                }
            }
            return created;
        },
        outputs() {
            const shown = {};
            for (const [id, output] of Object.entries(template.Outputs ?? {})) {
                if (output.Condition === undefined || context.conditions[output.Condition]) {
                    shown[id] = evaluate(output.Value, context);
                }
            }
            return shown;
        },
        evaluate: (node) => evaluate(node, context),
    };
}

function conditionValue(name, context) {
    if (!(name in context.conditions)) {
        const definition = context.template.Conditions[name];
        if (definition === undefined) {
            throw new Error(`unknown condition ${name}`);
        }
        context.conditions[name] = evaluate(definition, context);
    }
    return context.conditions[name];
}

function evaluate(node, context) {
    if (Array.isArray(node)) {
        return node.map((item) => evaluate(item, context)).filter((item) => item !== NO_VALUE);
    }
    if (node === null || typeof node !== 'object') {
        return node;
    }
    const keys = Object.keys(node);
    if (keys.length === 1) {
        const [key] = keys;
        const argument = node[key];
        switch (key) {
            case 'Ref':
                if (argument === 'AWS::NoValue') {
                    return NO_VALUE;
                }
                return argument in context.params ? context.params[argument] : node;
            case 'Condition':
                return conditionValue(argument, context);
            case 'Fn::If':
                return evaluate(conditionValue(argument[0], context) ? argument[1] : argument[2], context);
            case 'Fn::Equals': {
                const [a, b] = evaluate(argument, context);
                return JSON.stringify(a) === JSON.stringify(b);
            }
            case 'Fn::Not':
                return !evaluate(argument[0], context);
            case 'Fn::And':
                return evaluate(argument, context).every(Boolean);
            case 'Fn::Or':
                return evaluate(argument, context).some(Boolean);
            case 'Fn::FindInMap': {
                const [map, first, second] = evaluate(argument, context);
                return context.template.Mappings[map][first][second];
            }
            case 'Fn::Sub':
                return substitute(argument, context);
            case 'Fn::Join': {
                const [separator, items] = evaluate(argument, context);
                return Array.isArray(items) && items.every((item) => typeof item === 'string')
                    ? items.join(separator)
                    : { 'Fn::Join': [separator, items] };
            }
            default:
                break;
        }
    }
    const result = {};
    for (const [key, value] of Object.entries(node)) {
        const evaluated = evaluate(value, context);
        if (evaluated !== NO_VALUE) {
            result[key] = evaluated;
        }
    }
    return result;
}

function substitute(argument, context) {
    const [text, variables] = typeof argument === 'string' ? [argument, {}] : argument;
    const local = evaluate(variables, context);
    return text.replace(/\$\{([^}!]+)\}/g, (whole, name) => {
        const value = name in local ? local[name] : context.params[name];
        // Resource references and attributes stay as written: only a deployment knows them.
        return typeof value === 'string' || typeof value === 'number' ? String(value) : whole;
    });
}
