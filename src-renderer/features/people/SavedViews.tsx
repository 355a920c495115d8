import { memo, useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Menu, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ViewName, type PeopleViewSettings, type SavedPeopleView } from '../../../shared/domain/people.ts';
import { queryKey, useOp, useOpMutation } from '../../app/ops.ts';
import { errorText, fieldErrors } from '../../app/errors.ts';
import { fmtDate } from './ActionModal.tsx';

type ViewsOp = 'people.views.save' | 'people.views.delete' | 'people.views.setDefault';

// The operator qualifies the key: on a shared workstation one operator's views never show for the next.
const byOperator = (operator: string | undefined) => operator ?? '';

export function useSavedViews(operator: string | undefined) {
  return useOp('people.views.list', {}, {
    qualifier: byOperator(operator),
    staleTime: 60_000,
    // The list waits for this local read: a failure is shown at once, not retried behind a blank page.
    retry: false,
  });
}

/** Every change answers with the operator's views as they now are: the menu shows that at once. */
function useViewsChange<N extends ViewsOp>(operation: N, operator: string | undefined) {
  return useOpMutation(operation, {
    onSuccess: (data, qc) => qc.setQueryData(queryKey('people.views.list', {}, byOperator(operator)), data),
  });
}

const sameName = (a: string, b: string) => a.trim().toLocaleLowerCase('da-DK') === b.trim().toLocaleLowerCase('da-DK');

/** The list as it is now, minus the search text (the save dialog asks about that). */
export type CurrentView = Omit<PeopleViewSettings, 'text'> & { text: string };

/** Does the list still show the view? Its search text counts only when the view saved one. */
function matches(s: PeopleViewSettings, c: CurrentView): boolean {
  return (
    s.sort === c.sort &&
    s.dir === c.dir &&
    (s.text === '' || s.text === c.text) &&
    s.columns.join() === c.columns.join() &&
    (Object.keys(s.filter) as Array<keyof PeopleViewSettings['filter']>).every((k) => s.filter[k] === c.filter[k])
  );
}

interface Props {
  operator: string | undefined;
  views: SavedPeopleView[];
  /** The view the page opened with (the operator's default), if any. */
  initialActive: string | null;
  current: CurrentView;
  /** What is in the search box right now (it may not have reached the list yet). */
  getText(): string;
  onApply(settings: PeopleViewSettings): void;
}

export const SavedViews = memo(function SavedViews({ operator, views, initialActive, current, getText, onApply }: Props) {
  const { t } = useTranslation();
  const [active, setActive] = useState<string | null>(initialActive);
  const [saving, setSaving] = useState<{ name: string; text: string } | null>(null);
  const [managing, setManaging] = useState(false);
  const activeView = views.find((v) => v.name === active) ?? null;
  const changed = activeView ? !matches(activeView.settings, current) : false;

  const apply = (v: SavedPeopleView) => {
    setActive(v.name);
    onApply(v.settings);
  };
  const openSave = (name: string) => setSaving({ name, text: getText().trim() });

  return (
    <>
      <Menu position="bottom-end" width={300}>
        <Menu.Target>
          <Button variant="default" data-testid="views-button" maw={320} styles={{ label: { overflow: 'hidden', textOverflow: 'ellipsis' } }}>
            {activeView ? t(changed ? 'people.views.activeChanged' : 'people.views.active', { name: activeView.name }) : t('people.views.button')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown data-testid="views-menu">
          <Menu.Label>{t('people.views.mine')}</Menu.Label>
          {views.length === 0 && <Menu.Item disabled>{t('people.views.none')}</Menu.Item>}
          {views.map((v) => (
            <Menu.Item
              key={v.name}
              data-testid="view-item"
              onClick={() => apply(v)}
              aria-current={v.name === active || undefined}
              rightSection={
                v.isDefault ? (
                  <Badge size="xs" variant="light">
                    {t('people.views.default')}
                  </Badge>
                ) : undefined
              }
              fw={v.name === active ? 600 : undefined}
            >
              {v.name}
            </Menu.Item>
          ))}
          <Menu.Divider />
          <Menu.Item data-testid="view-save" onClick={() => openSave(activeView?.name ?? '')}>
            {t('people.views.saveCurrent')}
          </Menu.Item>
          <Menu.Item data-testid="view-manage" disabled={views.length === 0} onClick={() => setManaging(true)}>
            {t('people.views.manage')}
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {saving && (
        <SaveViewModal
          operator={operator}
          views={views}
          initialName={saving.name}
          text={saving.text}
          current={current}
          onClose={() => setSaving(null)}
          onSaved={(name) => {
            setSaving(null);
            setActive(name);
          }}
        />
      )}
      {managing && (
        <ManageViewsModal
          operator={operator}
          views={views}
          active={active}
          onClose={() => setManaging(false)}
          onApply={(v) => {
            setManaging(false);
            apply(v);
          }}
          onOverwrite={(name) => {
            setManaging(false);
            openSave(name);
          }}
          onDeleted={(name) => {
            if (active !== null && sameName(active, name)) setActive(null);
          }}
        />
      )}
    </>
  );
});

function SaveViewModal(props: {
  operator: string | undefined;
  views: SavedPeopleView[];
  initialName: string;
  text: string;
  current: CurrentView;
  onClose(): void;
  onSaved(name: string): void;
}) {
  const { t } = useTranslation();
  const save = useViewsChange('people.views.save', props.operator);
  const [name, setName] = useState(props.initialName);
  const [includeText, setIncludeText] = useState(false);
  // Untouched, an overwrite keeps whether the view is the default.
  const [makeDefault, setMakeDefault] = useState<boolean | null>(null);
  const [confirm, setConfirm] = useState(false);
  const [nameError, setNameError] = useState<string | null>(null);
  const overwriteButton = useRef<HTMLButtonElement>(null);
  const existing = props.views.find((v) => sameName(v.name, name)) ?? null;

  useEffect(() => {
    if (confirm) overwriteButton.current?.focus();
  }, [confirm]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (save.isPending) return;
    const parsed = ViewName.safeParse(name);
    if (!parsed.success) {
      // Checked here before main would: the same rule, shown as main's refusal would be.
      const message = parsed.error.issues[0]?.message ?? '';
      setNameError(fieldErrors({ code: 'validation', message, details: { fields: { name: message } } }).name ?? message);
      return;
    }
    // The name is taken: ask first. Main refuses too, should another window have saved it meanwhile.
    if (existing && !confirm) {
      setConfirm(true);
      return;
    }
    const { text: _text, ...rest } = props.current;
    save.mutate(
      {
        name: parsed.data,
        settings: { ...rest, text: includeText ? props.text : '' },
        overwrite: confirm,
        ...(makeDefault === null ? {} : { isDefault: makeDefault }),
      },
      {
        onSuccess: () => props.onSaved(parsed.data),
        onError: (err) => {
          if (err.code === 'conflict' && err.details?.name) setConfirm(true);
          else if (err.fields.name) setNameError(fieldErrors(err).name ?? err.fields.name);
        },
      },
    );
  };

  const error = save.error && !(save.error.code === 'conflict' && save.error.details?.name) && !save.error.fields.name ? errorText(save.error) : null;
  return (
    <Modal opened onClose={props.onClose} title={t('people.views.saveTitle')} size="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('people.views.name')}
            description={t('people.views.nameHelp')}
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setNameError(null);
              setConfirm(false);
              save.reset();
            }}
            error={nameError}
            maxLength={60}
            data-autofocus
            data-testid="view-name"
          />
          <Checkbox
            label={props.text ? t('people.views.includeText', { text: props.text }) : t('people.views.noText')}
            disabled={!props.text}
            checked={includeText && Boolean(props.text)}
            onChange={(e) => setIncludeText(e.currentTarget.checked)}
          />
          <Checkbox
            label={t('people.views.makeDefault')}
            description={t('people.views.makeDefaultHelp')}
            checked={makeDefault ?? existing?.isDefault ?? false}
            onChange={(e) => setMakeDefault(e.currentTarget.checked)}
            data-testid="view-default"
          />
          {confirm ? (
            <Alert color="orange" title={t('people.views.existsTitle')} data-testid="view-exists">
              <Stack gap="xs">
                <Text size="sm">{t('people.views.exists', { name: existing?.name ?? name.trim() })}</Text>
                <Group justify="flex-end">
                  <Button variant="default" onClick={() => setConfirm(false)}>
                    {t('people.views.back')}
                  </Button>
                  <Button ref={overwriteButton} type="submit" color="orange" loading={save.isPending} data-testid="view-overwrite">
                    {t('people.views.overwrite')}
                  </Button>
                </Group>
              </Stack>
            </Alert>
          ) : (
            <Group justify="flex-end">
              <Button variant="default" onClick={props.onClose}>
                {t('people.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} data-testid="view-save-submit">
                {t('people.views.save')}
              </Button>
            </Group>
          )}
          {error && <Alert color="red">{error}</Alert>}
        </Stack>
      </form>
    </Modal>
  );
}

function ManageViewsModal(props: {
  operator: string | undefined;
  views: SavedPeopleView[];
  active: string | null;
  onClose(): void;
  onApply(v: SavedPeopleView): void;
  onOverwrite(name: string): void;
  onDeleted(name: string): void;
}) {
  const { t } = useTranslation();
  const remove = useViewsChange('people.views.delete', props.operator);
  const setDefault = useViewsChange('people.views.setDefault', props.operator);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const error = remove.error ?? setDefault.error;
  return (
    <Modal opened onClose={props.onClose} title={t('people.views.manageTitle')} size="xl">
      <Stack>
        <Table data-testid="views-table" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('people.views.name')}</Table.Th>
              <Table.Th>{t('people.views.updated')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.views.map((v) => (
              <Table.Tr key={v.name} data-testid="views-row">
                <Table.Td style={{ minWidth: 180, wordBreak: 'break-word' }}>
                  <Group gap={6}>
                    <Text size="sm" fw={v.name === props.active ? 600 : undefined}>
                      {v.name}
                    </Text>
                    {v.isDefault && (
                      <Badge size="xs" variant="light" style={{ flexShrink: 0 }}>
                        {t('people.views.default')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {fmtDate(v.updatedAt)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {confirmDelete === v.name ? (
                    <Group gap={6} justify="flex-end" wrap="nowrap">
                      <Text size="sm">{t('people.views.deleteConfirm', { name: v.name })}</Text>
                      <Button size="compact-sm" variant="default" onClick={() => setConfirmDelete(null)}>
                        {t('people.cancel')}
                      </Button>
                      <Button
                        size="compact-sm"
                        color="red"
                        autoFocus
                        loading={remove.isPending}
                        onClick={() =>
                          remove.mutate(
                            { name: v.name },
                            {
                              onSuccess: () => {
                                setConfirmDelete(null);
                                props.onDeleted(v.name);
                              },
                            },
                          )
                        }
                      >
                        {t('people.views.delete')}
                      </Button>
                    </Group>
                  ) : (
                    <Group gap={6} justify="flex-end" wrap="nowrap">
                      <Button size="compact-sm" variant="light" onClick={() => props.onApply(v)}>
                        {t('people.views.apply')}
                      </Button>
                      <Button
                        size="compact-sm"
                        variant="default"
                        loading={setDefault.isPending && setDefault.variables?.name === (v.isDefault ? null : v.name)}
                        onClick={() => setDefault.mutate({ name: v.isDefault ? null : v.name })}
                      >
                        {v.isDefault ? t('people.views.unsetDefault') : t('people.views.setDefault')}
                      </Button>
                      <Button size="compact-sm" variant="default" title={t('people.views.overwriteHelp')} onClick={() => props.onOverwrite(v.name)}>
                        {t('people.views.overwriteWithCurrent')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" onClick={() => setConfirmDelete(v.name)} aria-label={t('people.views.deleteNamed', { name: v.name })}>
                        {t('people.views.delete')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {props.views.length === 0 && <Text c="dimmed">{t('people.views.none')}</Text>}
        {error && <Alert color="red">{errorText(error)}</Alert>}
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('people.views.close')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
