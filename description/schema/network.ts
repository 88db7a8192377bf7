// An account's network, as its file describes it.
import { z } from 'zod';
import { ipv4Cidr } from './common';

export const vpcSchema = z.strictObject({
  cidr: ipv4Cidr.describe('The VPC CIDR; must not overlap any other account\'s VPC (they are all peered).'),
  azs: z.number().int().min(1).max(6).default(2).describe('Number of availability zones.'),
});
