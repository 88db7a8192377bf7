// organization.yaml's `ci`: the GitHub repository whose workflow plans and deploys the organization.
import { z } from 'zod';

const show = (value: unknown): string => JSON.stringify(value);

export const ciSchema = z
  .strictObject({
    repository: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/, {
        error: (issue) => `${show(issue.input)} is not a GitHub repository (owner/name, e.g. example-org/aws-organization)`,
      })
      .describe('The GitHub repository (owner/name) whose workflow runs the plans and the deployments.'),
    oidcHost: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, {
        error: (issue) => `${show(issue.input)} is not a host name (e.g. token.actions.githubusercontent.com)`,
      })
      .default('token.actions.githubusercontent.com')
      .describe("The host of GitHub's OIDC issuer (GitHub Enterprise Server: its own)."),
    deployBranch: z
      .string()
      .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/, {
        error: (issue) => `${show(issue.input)} is not a branch name`,
      })
      .default('main')
      .describe('The only branch whose workflow runs may assume the deploy role.'),
    existingOidcProviders: z
      .boolean()
      .default(false)
      .describe('Every account already has an OIDC provider for oidcHost: the roles trust it by its ARN, nothing creates it.'),
  })
  .optional()
  .describe(
    'GitHub Actions access: an OIDC provider and a read-only plan role (<name>-plan) in every account, assumed by pull requests; ' +
      "the management account's deploy role admits the deploy branch's runs only.",
  );

export type CiFile = z.output<typeof ciSchema>;
