import { addressList, emailAddressProblem } from '../../../shared/cloud/email-address';

/**
 * What a Cc, Bcc or Custom emails field says of typed entries mail cannot go to (the shared address
 * rule: anna@bücher.de is fine, jürgen@… is not): the step still saves, and when it runs those are
 * skipped and named in its log. Entries with merge fields are checked when they are filled.
 */
export function addressListWarning(entries: readonly string[]): string | null {
  const problems = addressList(entries)
    .filter((address) => !address.includes('{{'))
    .flatMap((address) => {
      const problem = emailAddressProblem(address, `${address} is not an email address`);
      return problem ? [problem] : [];
    });
  return problems.length > 0 ? `${problems.join('. ')}. Skipped when the step runs.` : null;
}
