// A VPC for the construct tests of modules/network: two zones of eu-west-1, each a public and a private subnet.
import type { Construct } from 'constructs';
import { VpcNetwork, type VpcNetworkProps } from '../../modules/network/vpc';

export const ZONES: VpcNetworkProps['zones'] = [
  { name: 'eu-west-1a', publicSubnetCidr: '10.1.0.0/24', privateSubnetCidr: '10.1.128.0/24' },
  { name: 'eu-west-1b', publicSubnetCidr: '10.1.1.0/24', privateSubnetCidr: '10.1.129.0/24' },
];
export const vpcIn = (scope: Construct, name = 'dev', cidr = '10.1.0.0/16') =>
  new VpcNetwork(scope, `${name}-vpc`, { name, cidr, zones: ZONES, s3EndpointServiceName: 'com.amazonaws.eu-west-1.s3' });
