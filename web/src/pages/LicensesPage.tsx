export default function LicensesPage() {
  return <div className="page">LicensesPage</div>;
}
