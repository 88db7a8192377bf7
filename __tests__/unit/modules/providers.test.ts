// modules/providers: a provider that acts in exactly one account.
import { accountProvider } from '../../../modules/providers/account-provider';
import { synthScope } from '../synth-scope';

const providersOf = (props: Partial<Parameters<typeof accountProvider>[2]>) =>
  synthScope((scope) =>
    accountProvider(scope, 'aws', {
      partition: 'aws',
      accountId: '222222222222',
      region: 'eu-west-1',
      sessionName: 'terraform-dev',
      defaultTags: { Environment: 'dev' },
      ...props,
    }),
  ).json.provider.aws;

describe('an account provider', () => {
  it('refuses any other account, assumes the role there, and tags what it creates', () => {
    expect(providersOf({ roleName: 'test-deploy', alias: 'dev' })).toEqual([
      {
        alias: 'dev',
        region: 'eu-west-1',
        allowed_account_ids: ['222222222222'],
        assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/test-deploy', session_name: 'terraform-dev' }],
        default_tags: [{ tags: { Environment: 'dev' } }],
      },
    ]);
  });

  it("without a role, acts with the caller's own credentials, still in that account only", () => {
    const [provider] = providersOf({});
    expect(provider.assume_role).toBeUndefined();
    expect(provider.allowed_account_ids).toEqual(['222222222222']);
    expect(provider.alias).toBeUndefined();
  });

  it('cuts the session name to the 64 characters AWS accepts', () => {
    const [provider] = providersOf({ roleName: 'test-deploy', sessionName: 's'.repeat(100) });
    expect(provider.assume_role[0].session_name).toBe('s'.repeat(64));
  });
});
