// The console link that switches a signed-in user into a role of another account in one click.

export function switchRoleUrl(accountId: string, roleName: string, displayName: string): string {
  // The console keeps at most 64 characters of the display name.
  const query = new URLSearchParams({ account: accountId, roleName, displayName: displayName.slice(0, 64) });
  return `https://signin.aws.amazon.com/switchrole?${query}`;
}
