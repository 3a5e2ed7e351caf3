export default function SessionsPage() {
  return <div className="page">SessionsPage</div>;
}
