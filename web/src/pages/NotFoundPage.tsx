import { Link } from 'react-router';
import { Empty, PageHeader } from '../components/ui.tsx';
import { useDocumentTitle } from '../title.ts';

export default function NotFoundPage() {
  useDocumentTitle('Page not found');
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <Empty title="There is no page at this address.">
        Check the link, or go back to <Link to="/">your licenses</Link>.
      </Empty>
    </div>
  );
}
