/**
 * Three availability zones per AWS region, for `clone-region` on EKS when `--set azs=…` is not
 * given. AZ letters map to different physical zones in each account and a few letters are closed
 * to new accounts, so this is a default the command announces, not a truth: confirm with
 *   aws ec2 describe-availability-zones --region R --query 'AvailabilityZones[?State==`available`].ZoneName'
 * Regions where the usable letters differ between accounts (us-west-1) are left out on purpose:
 * cloning into them needs `--set azs=…`.
 */

const abc = ["a", "b", "c"];

const letters: Record<string, readonly string[]> = {
  "us-east-1": abc,
  "us-east-2": abc,
  "us-west-2": abc,
  // ca-central-1 has no "c" zone.
  "ca-central-1": ["a", "b", "d"],
  "ca-west-1": abc,
  "mx-central-1": abc,
  "sa-east-1": abc,
  "eu-west-1": abc,
  "eu-west-2": abc,
  "eu-west-3": abc,
  "eu-central-1": abc,
  "eu-central-2": abc,
  "eu-north-1": abc,
  "eu-south-1": abc,
  "eu-south-2": abc,
  "il-central-1": abc,
  "me-south-1": abc,
  "me-central-1": abc,
  "af-south-1": abc,
  "ap-east-1": abc,
  "ap-south-1": abc,
  "ap-south-2": abc,
  // ap-northeast-1b is not offered to most accounts.
  "ap-northeast-1": ["a", "c", "d"],
  "ap-northeast-2": abc,
  "ap-northeast-3": abc,
  "ap-southeast-1": abc,
  "ap-southeast-2": abc,
  "ap-southeast-3": abc,
  "ap-southeast-4": abc,
  "ap-southeast-5": abc,
};

/**
 * Regions clusterkit knows but has no default zones for: us-west-1's letters differ between
 * accounts, and GovCloud and the isolated partitions do not publish theirs the same way.
 */
const withoutDefaultZones = ["us-west-1", "us-gov-east-1", "us-gov-west-1", "us-iso-east-1", "us-iso-west-1", "us-isob-east-1"];

/** The table's zones for a region, or null when the region is not in it. */
export function defaultAzs(region: string): string[] | null {
  const l = letters[region];
  return l ? l.map((x) => `${region}${x}`) : null;
}

export function knownRegions(): string[] {
  return Object.keys(letters).sort();
}

/** Every AWS region clusterkit accepts, with or without default zones. */
export function awsRegions(): string[] {
  return [...Object.keys(letters), ...withoutDefaultZones].sort();
}
