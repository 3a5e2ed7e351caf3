export default function OrdersPage() {
  return <div className="page">OrdersPage</div>;
}
