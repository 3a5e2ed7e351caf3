export default function OrderPage() {
  return <div className="page">OrderPage</div>;
}
