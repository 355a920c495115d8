import { useTranslation } from 'react-i18next';
import { NotBuilt } from '../placeholder/NotBuilt.tsx';

export function BulkPage() {
  const { t } = useTranslation();
  return <NotBuilt title={t('nav.bulk')} />;
}
