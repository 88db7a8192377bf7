// A stand-in for AWS STS on 127.0.0.1, so that an offline plan configures every provider exactly as a
// real one would: it assumes the configured role, and `allowed_account_ids` is checked against the
// account of that role. It records every role assumed, for the tests to assert on.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AssumedRole {
  readonly roleArn: string;
  readonly sessionName: string;
  /** The access key the caller signed with: which credentials assumed the role. */
  readonly callerAccessKey: string;
}

export interface FakeSts {
  readonly endpoint: string;
  readonly assumed: AssumedRole[];
  close(): Promise<void>;
}

/** A fake long-term access key whose caller identity is in `accountId`. */
export function fakeAccessKey(accountId: string): string {
  return `AKIA${accountId}OFFL`;
}

export async function startFakeSts(): Promise<FakeSts> {
  const assumed: AssumedRole[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const params = new URLSearchParams(body);
      const callerAccessKey = /Credential=([A-Z0-9]+)\//.exec(request.headers.authorization ?? '')?.[1] ?? '';
      response.setHeader('Content-Type', 'text/xml');
      switch (params.get('Action')) {
        case 'AssumeRole': {
          const roleArn = params.get('RoleArn') ?? '';
          const sessionName = params.get('RoleSessionName') ?? '';
          const account = /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(roleArn)?.[1];
          if (!account) return fail(response, 'ValidationError', `invalid role ARN ${roleArn}`);
          assumed.push({ roleArn, sessionName, callerAccessKey });
          return respond(
            response,
            'AssumeRole',
            `<Credentials><AccessKeyId>ASIA${account}OFFL</AccessKeyId><SecretAccessKey>offline</SecretAccessKey>` +
              `<SessionToken>offline</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>` +
              `<AssumedRoleUser><AssumedRoleId>AROAOFFLINE:${sessionName}</AssumedRoleId>` +
              `<Arn>arn:aws:sts::${account}:assumed-role/${roleArn.split('/').pop()}/${sessionName}</Arn></AssumedRoleUser>`,
          );
        }
        case 'GetCallerIdentity': {
          const account = /^A[KS]IA(\d{12})OFFL$/.exec(callerAccessKey)?.[1];
          if (!account) return fail(response, 'InvalidClientTokenId', `unknown access key ${callerAccessKey}`);
          return respond(
            response,
            'GetCallerIdentity',
            `<Arn>arn:aws:sts::${account}:assumed-role/offline/offline</Arn><UserId>AROAOFFLINE:offline</UserId><Account>${account}</Account>`,
          );
        }
        default:
          return fail(response, 'InvalidAction', `the offline STS does not implement ${params.get('Action')}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    assumed,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function respond(response: import('node:http').ServerResponse, action: string, result: string): void {
  response.end(
    `<${action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><${action}Result>${result}</${action}Result>` +
      `<ResponseMetadata><RequestId>offline</RequestId></ResponseMetadata></${action}Response>`,
  );
}

function fail(response: import('node:http').ServerResponse, code: string, message: string): void {
  response.statusCode = 400;
  response.end(
    `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>offline</RequestId></ErrorResponse>`,
  );
}
