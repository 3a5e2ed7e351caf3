export default function ActivationsPage() {
  return <div className="page">ActivationsPage</div>;
}
