// Construct-level tests: a construct built alone in a stack of its own (cdktf's Testing.synthScope, no
// app, no terraform), and what it synthesized, read as data. Assertions compare the parsed JSON with jest's
// own matchers, whose failures show the difference, rather than cdktf's boolean toHaveResourceWithProperties.
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import type { PolicyStatement } from '../../catalog/policy-document';

export type Attributes = Record<string, any>;

export interface SynthesizedScope {
  /** The whole stack: resource, provider, terraform (backends), import, moved, removed... */
  readonly json: Record<string, any>;
  /** The attributes of every resource of `type`, by logical id (ids are sorted). */
  byId(type: string): Record<string, Attributes>;
  /** The attributes of every resource of `type`. */
  all(type: string): Attributes[];
  /** The attributes of the one resource of `type`; fails when there are none or several. */
  one(type: string): Attributes;
  /** How other resources refer to the one resource of `type`: ${type.<logical id>.<attribute>}. */
  reference(type: string, attribute?: string): string;
}

/** Builds the constructs `build` makes in a scope of their own and synthesizes them to Terraform JSON. */
export function synthScope(build: (scope: Construct) => void): SynthesizedScope {
  const json = JSON.parse(Testing.synthScope(build)) as SynthesizedScope['json'];
  const byId = (type: string) => (json.resource?.[type] ?? {}) as Record<string, Attributes>;
  const onlyId = (type: string) => {
    const ids = Object.keys(byId(type));
    if (ids.length !== 1) throw new Error(`${ids.length} resources of type ${type}, not one: ${ids.join(', ')}`);
    return ids[0];
  };
  return {
    json,
    byId,
    all: (type) => Object.values(byId(type)),
    one: (type) => byId(type)[onlyId(type)],
    reference: (type, attribute = 'id') => `\${${type}.${onlyId(type)}.${attribute}}`,
  };
}

/** A policy document synthesized as a JSON string, parsed. */
export function policyOf(text: string): { Version: string; Statement: PolicyStatement[] } {
  return JSON.parse(text);
}

/** The statement `sid` of a synthesized policy document; fails when it has none. */
export function statementOf(text: string, sid: string): PolicyStatement {
  const found = policyOf(text).Statement.find((statement) => statement.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${text}`);
  return found;
}

/** The statement ids of a synthesized policy document, in order. */
export function sidsOf(text: string): (string | undefined)[] {
  return policyOf(text).Statement.map((statement) => statement.Sid);
}
