import { createAdDirectory } from '../../../src-main/connectors/ad/ad-directory.ts';
import { connectWithFailover } from '../../../src-main/connectors/ad/connection.ts';
import { encodeUnicodePwd } from '../../../src-main/connectors/ad/decode.ts';
import { psoContainer, psoNameFor } from '../../../src-main/connectors/ad/pso.ts';
import { createTrainingDirectory } from '../../../src-main/training/directory.ts';
import { TRAINING_BASE_DN, TRAINING_PASSWORD } from '../../../src-main/training/seed.ts';
import { directoryContract } from '../../support/directory-contract.ts';
import { sambaContext, testProfile } from '../../support/samba/context.ts';

// The same contract against the real AD (Samba DC) and the training directory.
directoryContract('Active Directory (Samba)', async () => {
  const ctx = sambaContext();
  const profile = testProfile(ctx);
  const admin = (await connectWithFailover(profile, { name: ctx.admin.username, password: ctx.admin.password })).client;
  const groupDn = `CN=LIA-Kontrakt,${ctx.facts.ou.grupper}`;
  const personDn = `CN=Karla Kontrakt,${ctx.facts.ou.borgerservice}`;
  const quietly = (p: Promise<unknown>) => p.catch(() => {});
  await quietly(admin.del(personDn));
  await quietly(admin.del(groupDn));
  await admin.add(groupDn, { objectClass: 'group', sAMAccountName: 'LIA-Kontrakt', groupType: '-2147483646' });
  await admin.add(personDn, {
    objectClass: 'user', sAMAccountName: 'karla.kontrakt', givenName: 'Karla', sn: 'Kontrakt', displayName: 'Karla Kontrakt',
    userAccountControl: '512', unicodePwd: encodeUnicodePwd(ctx.facts.password) as unknown as string,
  });
  return {
    port: createAdDirectory(profile),
    operator: { username: ctx.facts.operators.administrator, password: ctx.facts.password },
    person: 'karla.kontrakt',
    groupDn,
    groupName: 'LIA-Kontrakt',
    async cleanup() {
      await quietly(admin.del(`CN=${psoNameFor('kontrakt.test')},${psoContainer(ctx.baseDn)}`));
      await quietly(admin.del(personDn));
      await quietly(admin.del(groupDn));
      await quietly(admin.unbind());
    },
  };
});

directoryContract('training directory', async () => ({
  port: createTrainingDirectory(),
  operator: { username: 'admin', password: TRAINING_PASSWORD },
  person: 'helpdesk',
  groupDn: `CN=LIA-Kontrakt,OU=Grupper,${TRAINING_BASE_DN}`,
  groupName: 'LIA-Kontrakt',
}));
