import { Link } from 'react-router';
import { Empty, PageHeader } from '../components/ui.tsx';

export default function NotFoundPage() {
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <Empty title="There is no page at this address.">
        Check the link, or go back to <Link to="/">your licenses</Link>.
      </Empty>
    </div>
  );
}
