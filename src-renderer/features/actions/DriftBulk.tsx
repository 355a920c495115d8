import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DriftKind } from '../../../shared/domain/people.ts';
import { BulkFixableDrift } from '../../../shared/operations/driftfix.ts';
import { errorText } from '../../app/errors.ts';
import { useOpMutation } from '../../app/ops.ts';
import { useCan } from '../session/useOperator.ts';
import './i18n.ts';

/**
 * "Ret alle som masseopgave": the whole drift category becomes a planned bulk job — a dry run the operator
 * reads on Masseopgaver (what will happen to each person, or why not) before starting it with a reason.
 */
export function DriftBulkButton({ kind, count }: { kind: DriftKind; count: number }) {
  const { t } = useTranslation();
  const may = useCan()('bulk.planDriftFix');
  const plan = useOpMutation('bulk.planDriftFix');
  const fixable = BulkFixableDrift.safeParse(kind);
  if (!may || !fixable.success || count === 0) return null;
  return (
    <Group gap="sm" align="center">
      <Button
        variant="light"
        loading={plan.isPending}
        data-testid="drift-bulk"
        onClick={() =>
          plan.mutate({ drift: fixable.data }, { onSuccess: (r) => (window.location.hash = `#/masseopgaver/${encodeURIComponent(r.job.id)}`) })
        }
      >
        {t('actions.driftBulk.button', { count })}
      </Button>
      <Text size="sm" c="dimmed">{t('actions.driftBulk.hint')}</Text>
      {plan.error && <Alert color="red" w="100%">{errorText(plan.error)}</Alert>}
    </Group>
  );
}
